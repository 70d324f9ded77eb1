# Unit tests of the packet sockets' pure parts (owned by the socket work):
# frame builders and the IPv4 header parser/builder. No root needed.
vipd_unit_test(net_packet_test
  SOURCES packet_ipv4_header_test.cpp arp_frame_test.cpp na_frame_test.cpp
  LIBS vipd_net)
target_compile_definitions(net_packet_test PRIVATE
  VIPD_GOLDEN_DIR="${PROJECT_SOURCE_DIR}/tests/data/golden")
