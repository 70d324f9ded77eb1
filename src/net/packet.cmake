# target_sources(vipd_net PRIVATE ...) for packet sockets
