# Packet socket integration tests (owned by the socket work): raw VRRP sockets,
# gratuitous ARP and unsolicited NA between two namespaces joined by a veth.
add_library(vipd_packet_testenv STATIC packet_test_env.cpp)
target_link_libraries(vipd_packet_testenv PUBLIC vipd_netns_testlib vipd_net)
vipd_warnings(vipd_packet_testenv)

vipd_integration_test(packet_vrrp_socket_test
  SOURCES packet_vrrp_socket_test.cpp LIBS vipd_net vipd_packet_testenv)
vipd_integration_test(packet_golden_wire_test
  SOURCES packet_golden_wire_test.cpp LIBS vipd_net vipd_packet_testenv)
target_compile_definitions(packet_golden_wire_test PRIVATE
  VIPD_GOLDEN_DIR="${PROJECT_SOURCE_DIR}/tests/data/golden")
vipd_integration_test(packet_garp_test
  SOURCES packet_garp_test.cpp LIBS vipd_net vipd_packet_testenv)
vipd_integration_test(packet_na_test
  SOURCES packet_na_test.cpp LIBS vipd_net vipd_packet_testenv)
