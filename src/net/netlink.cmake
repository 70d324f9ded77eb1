# netlink: address/link management (libnl-route-3), the link/address
# monitor and the process connector (libmnl). Owned by the netlink work.
target_sources(vipd_net PRIVATE
  address_manager_error.cpp
  address_manager_types.cpp
  address_manager_netlink.cpp
  route_types.cpp
  route_manager_netlink.cpp
  netlink_request_socket.cpp
  link_info.cpp
  netlink_monitor.cpp
  netlink_monitor_parse.cpp
  proc_connector.cpp
  proc_events_parse.cpp
  vmac.cpp
  vmac_netlink.cpp)
