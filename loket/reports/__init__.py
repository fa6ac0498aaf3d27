"""Reports: the printable buku harian (more in issue 6)."""
