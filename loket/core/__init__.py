"""Loket's domain: SOPs, tickets (berkas) and their journey. Imports no Flask."""
