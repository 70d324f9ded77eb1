# Packet sockets (owned by the socket work): raw VRRP sockets, gratuitous ARP
# and unsolicited NA senders over one AF_PACKET socket class.
target_sources(vipd_net PRIVATE
  garp.cpp
  link_layer_socket.cpp
  neighbor_advert.cpp
  vrrp_socket.cpp
  vrrp_socket_ipv4.cpp)
# vrrp_socket_ipv4.h returns a Boost.Outcome result (header-only).
target_link_libraries(vipd_net PUBLIC Boost::boost)
