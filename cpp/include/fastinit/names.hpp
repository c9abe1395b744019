// fastinit/names.hpp — the one mechanism by which an enum of fastinit gets its names.
//
// Each enum E of a configuration (OptimKind, ClipMode, Scheme, ...) specializes
// `enum_names<E>` next to its definition: `what` (how a message calls it) and `names()` (one
// string per enumerator, in declaration order). Everything else — parsing a name, naming a
// value, listing the valid names in an error, the Python binding — goes through
// `from_name<E>` / `name_of`, so a name is written exactly once.
//
//   enum class Color { red, green };
//   template <> struct enum_names<Color> {
//     static constexpr const char* what = "color";
//     static const std::vector<std::string>& names() { static const std::vector<std::string>
//       n = {"red", "green"}; return n; }
//   };
//   from_name<Color>("green") == Color::green;  name_of(Color::red) == "red";
//   from_name<Color>("blue") throws value_error("unknown color 'blue'; valid: 'red', 'green'")
#pragma once

#include <string>
#include <vector>

#include "errors.hpp"

namespace fastinit {

template <class E>
struct enum_names;  // specialized beside each enum

template <class E>
E from_name(const std::string& name) {
  const auto& n = enum_names<E>::names();
  for (std::size_t i = 0; i < n.size(); ++i)
    if (n[i] == name) return static_cast<E>(i);
  detail::unknown_name(enum_names<E>::what, name, n);
}

template <class E>
const std::string& name_of(E e) {
  return enum_names<E>::names()[static_cast<std::size_t>(e)];
}

}  // namespace fastinit
