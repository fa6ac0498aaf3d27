"""`Loket`: the context the app builds (see loket.services), by the name the rooms know it.

It adds nothing to `Context`: the domain's operations are functions that take it, one way each,
in loket.core.tickets (issuing, queue, flow, views, prints, records) and loket.core.admin, e.g.
`issuing.issue(ctx, code)`, `queue.call_next(ctx, actor)`. Office settings are read through the
one resolver, kept by the context (`ctx.settings`, `ctx.effective_settings`; see loket.core.settings).
"""

from __future__ import annotations

from .context import Context


class Loket(Context):
    """The office's context: store, SOP catalog in use, code signer, clock, rules and the environment's defaults."""
