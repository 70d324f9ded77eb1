# netlink integration tests (owned by the netlink work)
vipd_integration_test(netlink_address_manager_test
  SOURCES netlink_address_manager_test.cpp LIBS vipd_net)
vipd_integration_test(netlink_monitor_test
  SOURCES netlink_monitor_test.cpp LIBS vipd_net)
vipd_integration_test(proc_connector_test
  SOURCES proc_connector_test.cpp LIBS vipd_net)
vipd_integration_test(netlink_route_manager_test
  SOURCES netlink_route_manager_test.cpp LIBS vipd_net)
vipd_integration_test(netlink_vmac_test
  SOURCES netlink_vmac_test.cpp LIBS vipd_net)
