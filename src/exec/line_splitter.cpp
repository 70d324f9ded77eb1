#include "vipd/exec/line_splitter.h"

#include <utility>

namespace vipd::exec {

LineSplitter::LineSplitter(Limits limits, LineCallback sink)
    : limits_(limits), sink_(std::move(sink)) {
  partial_.reserve(limits_.maxLine);
}

void LineSplitter::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    if (exhausted_) {
      // Past the per-run cap nothing is buffered: a flood costs one count.
      stats_.bytesDropped += chunk.size();
      return;
    }
    auto newline = chunk.find('\n');
    append(chunk.substr(0, newline));
    if (newline == std::string_view::npos) return;
    endLine(1);
    chunk.remove_prefix(newline + 1);
  }
}

void LineSplitter::append(std::string_view piece) {
  std::size_t room = limits_.maxLine - partial_.size();
  if (piece.size() > room) {
    truncating_ = true;
    stats_.bytesDropped += piece.size() - room;
    piece = piece.substr(0, room);
  }
  partial_.append(piece);
}

void LineSplitter::endLine(std::size_t newline) {
  if (stats_.bytesKept + partial_.size() > limits_.maxTotal) {
    exhausted_ = true;
    stats_.bytesDropped += partial_.size() + newline;
  } else {
    stats_.bytesKept += partial_.size();
    ++stats_.lines;
    if (truncating_) ++stats_.linesTruncated;
    if (sink_) sink_(partial_);
  }
  partial_.clear();
  truncating_ = false;
}

void LineSplitter::finish() {
  if (!partial_.empty() || truncating_) endLine(0);
}

}  // namespace vipd::exec
