# packet socket integration tests (owned by the socket work)
