"""Several sites on one hub (issue 16, docs/sites.md): each site a full Loket on its own PostgreSQL, the hub seeing
all of them through PostgreSQL's logical replication. The domain side; no Flask here."""
