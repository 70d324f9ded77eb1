// Which capabilities the running daemon needs; see capabilities.h.
#include "vipd/daemon/capabilities.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <optional>
#include <set>
#include <vector>

#include "vipd/notify/script_audit.h"

namespace vipd::daemon {

namespace {

constexpr int kRead = 4;
constexpr int kWrite = 2;
constexpr int kExecute = 1;

/// The permission bits that apply to uid 0 / gid 0 without any capability:
/// the owner's if root owns it, else the group's if its group is root's,
/// else the others' (as the kernel decides, before capabilities).
int plainRootBits(const exec::FileInfo& f) {
  if (f.uid == 0) return static_cast<int>((f.mode >> 6) & 7);
  if (f.gid == 0) return static_cast<int>((f.mode >> 3) & 7);
  return static_cast<int>(f.mode & 7);
}

/// What a denied access costs: reading a file or searching a directory is
/// CAP_DAC_READ_SEARCH; writing or executing, CAP_DAC_OVERRIDE.
Capability overrideFor(int wanted, bool directory) {
  if ((wanted & kWrite) != 0 || ((wanted & kExecute) != 0 && !directory)) {
    return Capability::DacOverride;
  }
  return Capability::DacReadSearch;
}

struct Denial {
  Capability capability;
  std::string component;
};

/// "/", "/a", "/a/b" for "/a/b".
std::vector<std::string> prefixesOf(const std::string& resolved) {
  std::vector<std::string> out{"/"};
  for (std::size_t at = 1; at < resolved.size();) {
    const auto slash = resolved.find('/', at);
    if (slash == std::string::npos) {
      out.push_back(resolved);
      break;
    }
    out.push_back(resolved.substr(0, slash));
    at = slash + 1;
  }
  return out;
}

/// Walks a resolved absolute path: every directory on the way needs search,
/// the last component `wanted`. The first component plain root may not use,
/// with the capability that would let it use them all (CAP_DAC_OVERRIDE
/// covers what CAP_DAC_READ_SEARCH does, and more).
std::optional<Denial> walk(const std::string& resolved, int wanted, const exec::FileLookup& fs) {
  const auto prefixes = prefixesOf(resolved);
  std::optional<Denial> denial;
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    const auto info = fs.lstat(prefixes[i]);
    if (!info) return std::nullopt;  // gone meanwhile: nothing to judge
    const int need = i + 1 == prefixes.size() ? wanted : kExecute;
    if ((plainRootBits(info.value()) & need) == need) continue;
    const auto capability = overrideFor(need, S_ISDIR(info.value().mode));
    if (!denial) {
      denial = Denial{capability, prefixes[i]};
    } else if (capability == Capability::DacOverride) {
      denial->capability = capability;
    }
  }
  return denial;
}

std::string parentOf(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

/// A file read after start: the file itself, or its directory while it does
/// not exist.
std::optional<Denial> readDenial(const std::string& path, const exec::FileLookup& fs) {
  if (auto real = fs.realPath(path)) return walk(real.value(), kRead, fs);
  if (auto dir = fs.realPath(parentOf(path))) return walk(dir.value(), kExecute, fs);
  return std::nullopt;
}

/// A file replaced after start (a temporary file renamed over it): its
/// directory must be writable.
std::optional<Denial> replaceDenial(const std::string& path, const exec::FileLookup& fs) {
  if (auto dir = fs.realPath(parentOf(path))) return walk(dir.value(), kWrite | kExecute, fs);
  return std::nullopt;
}

class Collector {
 public:
  void add(Capability capability, std::string reason) {
    needs_.emplace(capability, std::move(reason));  // the first reason stays
  }
  void add(const std::optional<Denial>& denial, const std::string& what) {
    if (!denial) return;
    add(denial->capability, fmt::format("{}: {} is not accessible to root by its permission bits",
                                        what, denial->component));
  }
  CapabilityNeeds take() { return std::move(needs_); }

 private:
  CapabilityNeeds needs_;
};

std::optional<exec::UserSpec> userOf(const notify::ConfiguredScript& script,
                                     const config::GlobalDefs& global) {
  const auto& chosen = script.user ? script.user : global.scriptUser;
  if (!chosen) return std::nullopt;
  return exec::UserSpec{chosen->user, chosen->group};
}

void scriptNeeds(Collector& out, const config::Config& config, const exec::AccountLookup& accounts,
                 const exec::FileLookup& fs) {
  for (const auto& script : notify::configuredScripts(config)) {
    const auto id = exec::resolveScriptUser(userOf(script, config.global),
                                            config.global.scriptSecurity, accounts);
    if (!id) continue;  // refused: it never runs
    const auto [uid, gid] = std::pair{id.value().uid, id.value().gid};
    if (uid != 0) {
      const auto why = fmt::format("{} runs as uid {}", script.name, uid);
      out.add(Capability::SetUid, why);
      out.add(Capability::SetGid, why);
      out.add(Capability::Kill, why);
      continue;  // exec happens as that user: root's access does not matter
    }
    if (gid != 0) out.add(Capability::SetGid, fmt::format("{} runs as gid {}", script.name, gid));
    if (script.argv.empty()) continue;
    const auto program = exec::resolveProgram(script.argv.front(), fs);
    if (!program) continue;
    if (auto real = fs.realPath(program.value())) {
      // A script is read by its interpreter as well as executed.
      out.add(walk(real.value(), kRead | kExecute, fs), script.name);
    }
  }
}

std::set<std::string> trackedFiles(const config::Config& config) {
  std::set<std::string> names;
  for (const auto& in : config.instances) {
    for (const auto& t : in.trackFiles) names.insert(t.name);
  }
  for (const auto& group : config.syncGroups) {
    for (const auto& t : group.trackFiles) names.insert(t.name);
  }
  return names;
}

}  // namespace

std::string_view toString(Capability capability) {
  switch (capability) {
    case Capability::NetAdmin:
      return "CAP_NET_ADMIN";
    case Capability::NetRaw:
      return "CAP_NET_RAW";
    case Capability::SetUid:
      return "CAP_SETUID";
    case Capability::SetGid:
      return "CAP_SETGID";
    case Capability::Kill:
      return "CAP_KILL";
    case Capability::DacReadSearch:
      return "CAP_DAC_READ_SEARCH";
    case Capability::DacOverride:
      return "CAP_DAC_OVERRIDE";
  }
  return "CAP_?";
}

CapabilityNeeds neededCapabilities(const config::Config& config, const DaemonFiles& files,
                                   const exec::AccountLookup& accounts,
                                   const exec::FileLookup& fs) {
  Collector out;
  out.add(Capability::NetAdmin, "VIP changes, netlink monitor, process connector");
  out.add(Capability::NetRaw, "VRRP, ARP and NA sockets, also opened on reload");
  scriptNeeds(out, config, accounts, fs);
  const auto tracked = trackedFiles(config);
  for (const auto& file : config.trackFiles) {
    if (tracked.contains(file.name)) out.add(readDenial(file.path, fs), "track_file " + file.name);
  }
  if (!files.configFile.empty()) out.add(readDenial(files.configFile, fs), "the configuration");
  if (!files.metricsFile.empty()) {
    out.add(replaceDenial(files.metricsFile, fs), "--metrics-file " + files.metricsFile);
  }
  if (!files.stateFile.empty()) {
    out.add(replaceDenial(files.stateFile, fs), "--state-file " + files.stateFile);
  }
  return out.take();
}

CapabilityNeeds lostCapabilities(const CapabilityNeeds& next, const std::set<Capability>& kept,
                                 const std::set<Capability>& heldAtStart) {
  CapabilityNeeds lost;
  for (const auto& [capability, reason] : next) {
    if (!kept.contains(capability) && heldAtStart.contains(capability)) {
      lost.emplace(capability, reason);
    }
  }
  return lost;
}

std::string describe(const std::set<Capability>& capabilities) {
  std::string out;
  for (auto c : capabilities) {
    if (!out.empty()) out += ' ';
    out += toString(c);
  }
  return out.empty() ? "none" : out;
}

}  // namespace vipd::daemon
