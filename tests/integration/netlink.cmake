# netlink integration tests (owned by the netlink work)
