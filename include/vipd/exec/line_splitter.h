#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "vipd/exec/command.h"

namespace vipd::exec {

/// Cuts a script's output stream into lines, with caps so that a script
/// printing megabytes costs the daemon neither memory nor log volume.
///
/// A line longer than `maxLine` is passed on cut to `maxLine` bytes (the rest,
/// up to its newline, is counted as dropped). Once `maxTotal` bytes have been
/// passed on, every further byte is only counted. Pure: no I/O.
class LineSplitter {
 public:
  struct Limits {
    std::size_t maxLine = 4 * 1024;
    std::size_t maxTotal = 64 * 1024;
  };

  LineSplitter(Limits limits, LineCallback sink);

  /// Consumes the next bytes of the stream; calls the sink per complete line.
  void feed(std::string_view chunk);
  /// End of stream: passes on a last line that had no newline.
  void finish();
  /// Counts bytes that were never read (left in the pipe at exit).
  void countUnread(std::size_t bytes) { stats_.bytesDropped += bytes; }

  const OutputStats& stats() const { return stats_; }

 private:
  void append(std::string_view piece);
  /// `newline`: 1 if the line ended with one (counted if the line is dropped).
  void endLine(std::size_t newline);

  Limits limits_;
  LineCallback sink_;
  std::string partial_;
  bool truncating_ = false;  // the current line passed maxLine
  bool exhausted_ = false;   // maxTotal reached: count only
  OutputStats stats_;
};

}  // namespace vipd::exec
