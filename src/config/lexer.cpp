// Reading files and includes; the per-line work is in preprocessor.cpp and
// line_rules.cpp.

#include "vipd/config/lexer.h"

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "chars.h"
#include "preprocessor.h"

namespace vipd::config {

namespace {

namespace fs = std::filesystem;
using detail::isBlank;

constexpr std::uintmax_t kMaxFileSize = 16U * 1024U * 1024U;

/// `include FILE` or a checked variant `include[rmwba] FILE`
/// [SRC lib/parser.c:is_include, check_include]. FILE is the rest of the line,
/// taken as written (keepalived does not remove quotes from it).
struct IncludeDirective {
  std::string pattern;
  /// includer/m/w/b/a: a missing or unreadable file is an error.
  bool checked = false;
  SourceLocation where;
};

std::optional<IncludeDirective> includeDirective(const Line& line) {
  const std::string& text = line.text;
  if (text.compare(0, 7, "include") != 0 || text.size() < 9) return std::nullopt;
  std::size_t from = 8;
  bool checked = false;
  if (!isBlank(text[7])) {
    if (std::string_view("rmwba").find(text[7]) == std::string_view::npos || !isBlank(text[8])) {
      return std::nullopt;
    }
    from = 9;
    checked = true;
  }
  from = text.find_first_not_of(" \t", from);
  if (from == std::string::npos) return std::nullopt;
  return IncludeDirective{text.substr(from), checked, line.locationAt(from)};
}

/// Frees a glob_t on every path out.
struct GlobResult {
  glob_t value{};
  ~GlobResult() { globfree(&value); }
};

std::string directoryOf(const std::string& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(fs::path(path), error);
  if (error) return ".";
  return absolute.parent_path().string();
}

class Reader {
 public:
  Reader(const LexOptions& options, Diagnostics& diagnostics)
      : options_(options), diagnostics_(diagnostics), preprocessor_(options, diagnostics) {}

  void readFile(const std::string& path, const std::optional<IncludeDirective>& from) {
    const std::string identity = canonical(path);
    if (!enter(path, identity, from)) return;
    const std::optional<std::string> text = load(path, from);
    if (text) readText(*text, path);
    frames_.pop_back();
  }

  void readString(std::string_view text, const std::string& name) {
    enter(name, canonical(name), std::nullopt);
    readText(text, name);
    frames_.pop_back();
  }

  std::vector<Line> take() { return std::move(out_); }

 private:
  struct Frame {
    std::string name;
    std::string identity;
  };

  static std::string canonical(const std::string& path) {
    std::error_code error;
    fs::path resolved = fs::weakly_canonical(fs::path(path), error);
    return error ? path : resolved.string();
  }

  /// Pushes a file on the include stack unless that makes a cycle or is too deep.
  bool enter(const std::string& name, const std::string& identity,
             const std::optional<IncludeDirective>& from) {
    const SourceLocation where = from ? from->where : SourceLocation{name, 0, 0};
    const auto same = [&](const Frame& frame) { return frame.identity == identity; };
    if (const auto cycle = std::find_if(frames_.begin(), frames_.end(), same);
        cycle != frames_.end()) {
      std::string chain;
      for (auto frame = cycle; frame != frames_.end(); ++frame) chain += frame->name + " -> ";
      diagnostics_.error(where, "include cycle: " + chain + name);
      return false;
    }
    if (frames_.size() > options_.maxIncludeDepth) {
      diagnostics_.error(
          where, "includes nested more than " + std::to_string(options_.maxIncludeDepth) + " deep");
      return false;
    }
    frames_.push_back(Frame{name, identity});
    return true;
  }

  std::optional<std::string> load(const std::string& path,
                                  const std::optional<IncludeDirective>& from) {
    const SourceLocation where = from ? from->where : SourceLocation{path, 0, 0};
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      diagnostics_.error(where, "cannot open '" + path + "': " + std::strerror(errno));
      return std::nullopt;
    }
    // keepalived skips files that are not regular or are executable
    // [SRC lib/parser.c:check_glob_file].
    if (!S_ISREG(info.st_mode) || (from && (info.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))) {
      const std::string message = "'" + path + "' is not a regular non-executable file";
      if (from && !from->checked) {
        diagnostics_.warning(where, message + "; skipped");
      } else {
        diagnostics_.error(where, message);
      }
      return std::nullopt;
    }
    if (static_cast<std::uintmax_t>(info.st_size) > kMaxFileSize) {
      diagnostics_.error(where, "'" + path + "' is larger than 16 MiB");
      return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad() || !in.is_open()) {
      diagnostics_.error(where, "cannot read '" + path + "'");
      return std::nullopt;
    }
    return text;
  }

  void readText(std::string_view text, const std::string& name) {
    preprocessor_.setCurrentDirectory(directoryOf(name));
    std::uint32_t number = 0;
    for (std::size_t from = 0; from < text.size();) {
      std::size_t end = text.find('\n', from);
      if (end == std::string_view::npos) end = text.size();
      std::string raw(text.substr(from, end - from));
      from = end + 1;
      ++number;
      readLine(std::move(raw), name, number);
    }
    preprocessor_.endDefinition();
  }

  void readLine(std::string raw, const std::string& name, std::uint32_t number) {
    while (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (raw.empty()) {  // only a truly empty line ends a multi-line definition
      preprocessor_.endDefinition();
      return;
    }
    for (std::size_t nul = raw.find('\0'); nul != std::string::npos; nul = raw.find('\0', nul)) {
      diagnostics_.error(SourceLocation{name, number, static_cast<std::uint32_t>(nul + 1)},
                         "NUL byte in configuration text");
      raw[nul] = ' ';
    }
    Line line = detail::makePhysicalLine(raw, name, number);
    const bool continuation = detail::decomment(line);
    if (!preprocessor_.collecting()) {
      if (std::optional<IncludeDirective> directive = includeDirective(line)) {
        include(*directive, name);
        return;
      }
    }
    if (line.text.empty() && !continuation) return;  // comment lines do not end a definition
    const std::size_t first = out_.size();
    preprocessor_.process(std::move(line), continuation, out_);
    rejectLateIncludes(first);
  }

  /// An include line that only appears after @ or $ processing: keepalived
  /// does not handle these reliably (see keepalived.conf(5)), so vipd refuses.
  void rejectLateIncludes(std::size_t first) {
    const auto late = [this](const Line& line) {
      if (!includeDirective(line)) return false;
      diagnostics_.error(line.where,
                         "include lines cannot use @ conditions, $ parameters or follow a brace "
                         "on the same line; write 'include FILE' on a line of its own");
      return true;
    };
    out_.erase(std::remove_if(out_.begin() + static_cast<std::ptrdiff_t>(first), out_.end(), late),
               out_.end());
  }

  void include(const IncludeDirective& directive, const std::string& includingFile) {
    std::string pattern = directive.pattern;
    if (pattern.front() != '/') pattern = directoryOf(includingFile) + "/" + pattern;
    GlobResult matches;
    int flags = GLOB_MARK;
#ifdef GLOB_BRACE
    flags |= GLOB_BRACE;
#endif
    const int result = ::glob(pattern.c_str(), flags, nullptr, &matches.value);
    if (result == GLOB_NOMATCH) {
      std::string message = "include '" + directive.pattern + "' matches no file";
      if (directive.pattern.find_first_of("\"'") != std::string::npos) {
        message += " (quotes are part of the name: keepalived does not remove them)";
      }
      if (directive.checked) {
        diagnostics_.error(directive.where, message);
      } else {
        diagnostics_.warning(directive.where, message);
      }
      return;
    }
    if (result != 0) {
      diagnostics_.error(directive.where, "cannot expand include '" + directive.pattern + "'");
      return;
    }
    const std::string savedDirectory = directoryOf(includingFile);
    for (std::size_t i = 0; i < matches.value.gl_pathc; ++i) {
      const std::string path = matches.value.gl_pathv[i];
      if (path.empty() || path.back() == '/') continue;  // GLOB_MARK marks directories
      readFile(path, directive);
    }
    preprocessor_.setCurrentDirectory(savedDirectory);
  }

  const LexOptions& options_;
  Diagnostics& diagnostics_;
  detail::Preprocessor preprocessor_;
  std::vector<Frame> frames_;
  std::vector<Line> out_;
};

}  // namespace

std::vector<Line> lexFile(const std::string& path, const LexOptions& options,
                          Diagnostics& diagnostics) {
  Reader reader(options, diagnostics);
  reader.readFile(path, std::nullopt);
  return reader.take();
}

std::vector<Line> lexString(std::string_view text, const std::string& fileName,
                            const LexOptions& options, Diagnostics& diagnostics) {
  Reader reader(options, diagnostics);
  reader.readString(text, fileName);
  return reader.take();
}

}  // namespace vipd::config
