#include "junk_flood.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <thread>

namespace vipd::lab {

namespace {

using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

constexpr std::uint8_t kProtoVrrp = 112;  // also CARP's (OpenBSD uses VRRP's number)
constexpr std::uint8_t kTtl = 255;
constexpr std::uint8_t kTos = 0xc0;  // internetwork control, as VRRP senders use

std::array<std::uint8_t, 4> ipv4(const std::string& text) {
  std::array<std::uint8_t, 4> out{};
  if (::inet_pton(AF_INET, text.c_str(), out.data()) != 1) {
    throw std::invalid_argument("junk flood: not an IPv4 address: " + text);
  }
  return out;
}

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v & 0xff);
}

// RFC 1071: the ones' complement of the ones' complement sum of 16-bit words.
std::uint16_t internetChecksum(const Bytes& data) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < data.size(); i += 2) sum += (data[i] << 8) | data[i + 1];
  if (data.size() % 2 != 0) sum += data.back() << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

struct Endpoints {
  std::array<std::uint8_t, 4> source;
  std::array<std::uint8_t, 4> destination;
};

// RFC 5798 §5.2.8: the v3 checksum covers an IPv4 pseudo-header, then the message.
void checksumV3(Bytes& vrrp, const Endpoints& ep) {
  put16(vrrp, 6, 0);
  Bytes sum(ep.source.begin(), ep.source.end());
  sum.insert(sum.end(), ep.destination.begin(), ep.destination.end());
  sum.insert(sum.end(), {0, kProtoVrrp, static_cast<std::uint8_t>(vrrp.size() >> 8),
                         static_cast<std::uint8_t>(vrrp.size() & 0xff)});
  sum.insert(sum.end(), vrrp.begin(), vrrp.end());
  put16(vrrp, 6, internetChecksum(sum));
}

// RFC 3768 §5.3.8 (and CARP): over the message only.
void checksumMessage(Bytes& message) {
  put16(message, 6, 0);
  put16(message, 6, internetChecksum(message));
}

// RFC 5798 §5.2: version 3, type 1, one IPv4 address; interval in centiseconds.
Bytes advertV3(std::uint8_t vrid, std::uint8_t priority, const std::string& vip,
               const Endpoints& ep) {
  Bytes b = {0x31, vrid, priority, 1, 0, 10, 0, 0};
  const auto a = ipv4(vip);
  b.insert(b.end(), a.begin(), a.end());
  checksumV3(b, ep);
  return b;
}

// RFC 3768 §5.3: version 2, type 1, one address, Auth Type 1 (simple password).
Bytes advertV2(const JunkFloodConfig& c) {
  Bytes b = {0x21, c.authVrid, 100, 1, 1, c.authIntervalS, 0, 0};
  const auto a = ipv4(c.authVip);
  b.insert(b.end(), a.begin(), a.end());
  Bytes password(8, 0);
  std::memcpy(password.data(), c.wrongPassword.data(),
              std::min<std::size_t>(8, c.wrongPassword.size()));
  b.insert(b.end(), password.begin(), password.end());
  checksumMessage(b);
  return b;
}

// OpenBSD carp.h struct carp_header: version 2 / type 1 share VRRPv2's first
// byte; then vhid, advskew, authlen 7, demotion, advbase, checksum, an 8-byte
// counter and a 20-byte SHA1 HMAC: 36 bytes.
Bytes carp(std::uint8_t vhid, std::mt19937& random) {
  Bytes b = {0x21, vhid, 0, 7, 0, 1, 0, 0};
  for (int i = 0; i < 28; ++i) b.push_back(static_cast<std::uint8_t>(random()));
  checksumMessage(b);
  return b;
}

Bytes randomBytes(std::mt19937& random) {
  std::uniform_int_distribution<std::size_t> length(1, 80);
  Bytes b(length(random));
  for (auto& byte : b) byte = static_cast<std::uint8_t>(random());
  return b;
}

// The VRRP payload of one packet and the TTL it goes out with.
std::pair<Bytes, std::uint8_t> payloadOf(JunkKind kind, const JunkFloodConfig& c,
                                         const Endpoints& ep, std::mt19937& random) {
  switch (kind) {
    case JunkKind::WrongTtl:
      return {advertV3(c.targetVrid, 100, c.vip, ep), 254};
    case JunkKind::BadChecksum: {
      Bytes b = advertV3(c.targetVrid, 100, c.vip, ep);
      b[7] = static_cast<std::uint8_t>(b[7] + 1);
      return {b, kTtl};
    }
    case JunkKind::Truncated:
      return {Bytes{0x31, c.targetVrid, 100, 1}, kTtl};
    case JunkKind::WrongVersion: {
      Bytes b = advertV3(c.targetVrid, 100, c.vip, ep);
      b[0] = 0x41;
      checksumV3(b, ep);
      return {b, kTtl};
    }
    case JunkKind::UnknownType: {
      Bytes b = advertV3(c.targetVrid, 100, c.vip, ep);
      b[0] = 0x32;
      checksumV3(b, ep);
      return {b, kTtl};
    }
    case JunkKind::WrongVrid:
      return {advertV3(c.foreignVrid, 100, c.vip, ep), kTtl};
    case JunkKind::CountMismatch: {
      Bytes b = advertV3(c.targetVrid, 100, c.vip, ep);
      b[3] = 5;
      checksumV3(b, ep);
      return {b, kTtl};
    }
    case JunkKind::V2AuthMismatch:
      return {advertV2(c), kTtl};
    case JunkKind::Carp:
      return {carp(c.targetVrid, random), kTtl};
    case JunkKind::RandomBytes:
      return {randomBytes(random), kTtl};
    case JunkKind::ForgedPriority:
      return {advertV3(c.targetVrid, 254, c.vip, ep), 64};
  }
  return {};
}

// RFC 791 header; the kernel fills in the ID and the header checksum
// (raw(7): IP_HDRINCL), we set everything else.
Bytes withIpv4Header(const Bytes& payload, std::uint8_t ttl, const Endpoints& ep) {
  Bytes ip = {0x45, kTos, 0, 0, 0, 0, 0, 0, ttl, kProtoVrrp, 0, 0};
  put16(ip, 2, static_cast<std::uint16_t>(20 + payload.size()));
  ip.insert(ip.end(), ep.source.begin(), ep.source.end());
  ip.insert(ip.end(), ep.destination.begin(), ep.destination.end());
  ip.insert(ip.end(), payload.begin(), payload.end());
  return ip;
}

sockaddr_in socketAddress(const std::string& address) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  const auto a = ipv4(address);
  std::memcpy(&sa.sin_addr, a.data(), 4);
  return sa;
}

[[noreturn]] void throwJunkFloodError(const std::string& what) {
  throw std::runtime_error("junk flood: " + what + ": " + std::strerror(errno));
}

}  // namespace

std::string_view toString(JunkKind kind) {
  switch (kind) {
    case JunkKind::WrongTtl:
      return "wrong_ttl";
    case JunkKind::BadChecksum:
      return "bad_checksum";
    case JunkKind::Truncated:
      return "truncated";
    case JunkKind::WrongVersion:
      return "wrong_version";
    case JunkKind::UnknownType:
      return "unknown_type";
    case JunkKind::WrongVrid:
      return "wrong_vrid";
    case JunkKind::CountMismatch:
      return "count_mismatch";
    case JunkKind::V2AuthMismatch:
      return "v2_auth_mismatch";
    case JunkKind::Carp:
      return "carp";
    case JunkKind::RandomBytes:
      return "random_bytes";
    case JunkKind::ForgedPriority:
      return "forged_priority";
  }
  return "?";
}

std::uint64_t JunkFloodReport::total() const {
  std::uint64_t n = 0;
  for (auto s : sent) n += s;
  return n;
}

double JunkFloodReport::rate() const {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  return seconds > 0 ? static_cast<double>(total()) / seconds : 0;
}

std::string JunkFloodReport::summary() const {
  std::string out;
  for (auto kind : kAllJunkKinds) {
    if (!out.empty()) out += ", ";
    out += std::string(toString(kind)) + " " + std::to_string(of(kind));
  }
  char rateText[96];
  std::snprintf(rateText, sizeof rateText,
                "; %llu packets (%llu unicast, %llu refused) in %.3f s: %.0f/s",
                static_cast<unsigned long long>(total()), static_cast<unsigned long long>(unicast),
                static_cast<unsigned long long>(sendErrors),
                std::chrono::duration<double>(elapsed).count(), rate());
  return out + rateText;
}

std::vector<JunkPacket> junkCycle(const JunkFloodConfig& config, const std::string& destination,
                                  std::size_t rounds) {
  const Endpoints ep{ipv4(config.source), ipv4(destination)};
  std::mt19937 random(config.seed);
  std::vector<JunkPacket> out;
  out.reserve(rounds * kAllJunkKinds.size());
  for (std::size_t round = 0; round < rounds; ++round) {
    for (auto kind : kAllJunkKinds) {
      auto [payload, ttl] = payloadOf(kind, config, ep, random);
      out.push_back({kind, withIpv4Header(payload, ttl, ep)});
    }
  }
  return out;
}

JunkFlood::JunkFlood(const testing::NetNs& ns, const std::string& ifname, JunkFloodConfig config)
    : config_(std::move(config)) {
  // 64 rounds: enough different random packets that no two batches repeat.
  constexpr std::size_t kRounds = 64;
  toGroup_ = junkCycle(config_, config_.group, kRounds);
  if (config_.unicastTarget && config_.unicastEvery > 0) {
    toUnicast_ = junkCycle(config_, *config_.unicastTarget, kRounds);
  }
  const testing::EnterNetNs inside(ns);
  // IPPROTO_RAW implies IP_HDRINCL: the header is ours, TTL included.
  fd_ = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
  if (fd_ < 0) throwJunkFloodError("raw socket");
  ip_mreqn mreq{};
  mreq.imr_ifindex = static_cast<int>(::if_nametoindex(ifname.c_str()));
  const unsigned char loop = 0;
  if (mreq.imr_ifindex == 0 ||
      ::setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof mreq) != 0 ||
      ::setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) != 0 ||
      ::setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(),
                   static_cast<socklen_t>(ifname.size())) != 0) {
    const int saved = errno;
    ::close(fd_);
    errno = saved;
    throwJunkFloodError("setting up the socket on " + ifname);
  }
}

JunkFlood::~JunkFlood() { ::close(fd_); }

JunkFloodReport JunkFlood::run() {
  JunkFloodReport report;
  const std::size_t batch = std::max<std::size_t>(1, config_.batch);
  const sockaddr_in group = socketAddress(config_.group);
  const sockaddr_in unicast = toUnicast_.empty() ? group : socketAddress(*config_.unicastTarget);
  std::vector<mmsghdr> messages(batch);
  std::vector<iovec> iovs(batch);
  std::vector<const JunkPacket*> inBatch(batch);
  std::vector<bool> unicastInBatch(batch);

  const auto start = Clock::now();
  const auto end = start + config_.duration;
  if (!(config_.packetsPerSecond > 0)) {  // a baseline: the same time, no junk
    std::this_thread::sleep_until(end);
    report.elapsed = Clock::now() - start;
    return report;
  }
  std::uint64_t attempted = 0;
  std::size_t next = 0;  // position in the cycle
  for (;;) {
    // Pacing: batch k leaves at start + k·batch/rate; a late sender catches
    // up without sleeping, and never sends past the end.
    const auto due =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                    static_cast<double>(attempted) / config_.packetsPerSecond));
    // Bounded in time: a sender that cannot keep the rate stops at the end too.
    if (due >= end || Clock::now() >= end) break;
    if (due > Clock::now()) std::this_thread::sleep_until(due);
    for (std::size_t i = 0; i < batch; ++i, ++next) {
      const bool toUnicast =
          !toUnicast_.empty() && (attempted + i) % config_.unicastEvery == config_.unicastEvery - 1;
      const JunkPacket& p = (toUnicast ? toUnicast_ : toGroup_)[next % toGroup_.size()];
      inBatch[i] = &p;
      unicastInBatch[i] = toUnicast;
      iovs[i] = {const_cast<std::uint8_t*>(p.bytes.data()), p.bytes.size()};
      messages[i] = {};
      messages[i].msg_hdr.msg_name = const_cast<sockaddr_in*>(toUnicast ? &unicast : &group);
      messages[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
      messages[i].msg_hdr.msg_iov = &iovs[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    std::size_t done = 0;
    while (done < batch) {
      const int n = ::sendmmsg(fd_, messages.data() + done, static_cast<unsigned>(batch - done), 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        ++report.sendErrors;  // this one is lost (ENOBUFS…); go on with the rest
        ++done;
        continue;
      }
      for (std::size_t i = done; i < done + static_cast<std::size_t>(n); ++i) {
        ++report.sent[static_cast<std::size_t>(inBatch[i]->kind)];
        if (unicastInBatch[i]) ++report.unicast;
      }
      done += static_cast<std::size_t>(n);
    }
    attempted += batch;
  }
  report.elapsed = Clock::now() - start;
  return report;
}

}  // namespace vipd::lab
