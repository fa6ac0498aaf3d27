"""Tickets: issuing, the queue and calling, the SOP flow of a berkas, and the views of it.

Each operation is a function taking the domain context (loket.core.context.Context) first; it runs
in one transaction and returns its events. No Flask here.
"""
