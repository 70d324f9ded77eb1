#include "vipd/net/netlink_request_socket.h"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>

#include "netlink_log.h"
#include "vipd/net/address_manager_error.h"

namespace vipd::net {
namespace {

/// Extended-ack attribute callback: keeps NLMSGERR_ATTR_MSG.
int extAckAttribute(const nlattr* attr, void* data) {
  if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
      mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
    *static_cast<std::string*>(data) = mnl_attr_get_str(attr);
  }
  return MNL_CB_OK;
}

}  // namespace

std::error_code libnlError(int code) { return {code < 0 ? -code : code, libnlErrorCategory()}; }

struct RequestCallbacks {
  /// nl_recvmsg_err_cb_t: records the kernel's errno and its extended-ack
  /// text, then stops.
  static int onError(sockaddr_nl* /*peer*/, nlmsgerr* error, void* arg) {
    auto* self = static_cast<NetlinkRequestSocket*>(arg);
    self->kernelErrno_ = -error->error;
    // libnl hands us the payload of the NLMSG_ERROR message, which it has
    // length-checked; its header sits right before it (nlmsg_data()).
    const auto* header =
        reinterpret_cast<const nlmsghdr*>(reinterpret_cast<const char*>(error) - NLMSG_HDRLEN);
    if ((header->nlmsg_flags & NLM_F_ACK_TLVS) != 0) {
      std::size_t offset = sizeof(nlmsgerr);
      if ((header->nlmsg_flags & NLM_F_CAPPED) == 0 && error->msg.nlmsg_len > NLMSG_HDRLEN) {
        offset += error->msg.nlmsg_len - NLMSG_HDRLEN;  // the echoed request
      }
      if (offset < header->nlmsg_len) {
        mnl_attr_parse(header, static_cast<unsigned>(offset), extAckAttribute,
                       &self->kernelMessage_);
      }
    }
    return NL_STOP;
  }
};

void NetlinkRequestSocket::SocketDeleter::operator()(nl_sock* sock) const { nl_socket_free(sock); }

NetlinkRequestSocket::NetlinkRequestSocket(const char* owner) : socket_(nl_socket_alloc()) {
  if (!socket_) {
    throw std::system_error(libnlError(NLE_NOMEM), std::string(owner) + ": nl_socket_alloc");
  }
  if (int rc = nl_connect(socket_.get(), NETLINK_ROUTE); rc < 0) {
    throw std::system_error(libnlError(rc), std::string(owner) + ": nl_connect");
  }
  // Extended acks give the kernel's reason as text; a capped ack does not
  // echo our request back. Both are optional (kernel >= 4.12 / 4.3).
  const int on = 1;
  const int fd = nl_socket_get_fd(socket_.get());
  if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on) != 0 ||
      setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof on) != 0) {
    netlinkLog()->debug("netlink extended acks unavailable errno={}", errno);
  }
  nl_cb* callbacks = nl_socket_get_cb(socket_.get());
  nl_cb_err(callbacks, NL_CB_CUSTOM, &RequestCallbacks::onError, this);
  nl_cb_put(callbacks);
}

NetlinkRequestSocket::~NetlinkRequestSocket() = default;

void NetlinkRequestSocket::beginRequest() {
  kernelErrno_ = 0;
  kernelMessage_.clear();
}

std::error_code NetlinkRequestSocket::errorFrom(int libnlResult) const {
  if (kernelErrno_ != 0) return {kernelErrno_, std::system_category()};
  return libnlError(libnlResult);
}

}  // namespace vipd::net
