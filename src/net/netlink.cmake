# target_sources(vipd_net PRIVATE ...) for netlink
