#pragma once

namespace vipd::util {

/// One visitor out of several lambdas, for std::visit:
///   std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, variant);
template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace vipd::util
