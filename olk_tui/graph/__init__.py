"""Microsoft Graph over httpx: auth, the request choke point, paging, $batch, endpoints and the
JSON <-> domain mapping. No UI and no cache here."""
