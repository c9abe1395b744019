// fastinit/errors.hpp — the typed exceptions of fastinit.
//
// Every check in the core throws one of these with a message that names the argument, what was
// expected and what was given. The Python bindings map them to Python exceptions:
//   value_error, shape_error  -> ValueError   (both derive from std::invalid_argument)
//   nonfinite_error           -> fastinit.NonFiniteError (a ValueError and a RuntimeError)
//   dtype_error               -> TypeError
//   std::bad_alloc            -> MemoryError  (size_error derives from it: sizes that overflow)
//   std::length_error         -> MemoryError  (a standard container asked for too much)
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fastinit {

struct value_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
struct shape_error : value_error {
  using value_error::value_error;
};
struct nonfinite_error : value_error {
  using value_error::value_error;
};
struct dtype_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
// A long call stopped because its caller asked (ScopedPoll in parallel.hpp: Ctrl-C in Python).
struct interrupted : std::runtime_error {
  interrupted() : std::runtime_error("interrupted") {}
};
// A size whose byte count cannot be represented or allocated.
struct size_error : std::bad_alloc {
  explicit size_error(std::string msg) : msg_(std::move(msg)) {}
  const char* what() const noexcept override { return msg_.c_str(); }

 private:
  std::string msg_;
};

namespace detail {

template <class... Args>
std::string cat(Args&&... args) {
  std::ostringstream os;
  os.precision(17);
  (os << ... << std::forward<Args>(args));
  return os.str();
}

inline std::string join(const std::vector<std::string>& names, const char* sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += sep;
    out += "'" + names[i] + "'";
  }
  return out;
}

inline std::string shape_str(const std::vector<std::int64_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

// Unknown name: the message lists the valid ones.
[[noreturn]] inline void unknown_name(const char* what, const std::string& got,
                                      const std::vector<std::string>& valid) {
  // Control characters (a NUL would cut the message short) and non-ASCII bytes (they may not be
  // UTF-8, and every valid name is ASCII) are escaped.
  std::string shown;
  for (unsigned char c : got) {
    if (c < 0x20 || c >= 0x7f) {
      const char* hex = "0123456789abcdef";
      shown += "\\x";
      shown += hex[c >> 4];
      shown += hex[c & 15];
    } else {
      shown += static_cast<char>(c);
    }
  }
  throw value_error(cat("unknown ", what, " '", shown, "'; valid: ", join(valid)));
}

// Product of non-negative sizes times element size, or size_error when it overflows.
inline std::size_t checked_bytes(const std::vector<std::int64_t>& shape, std::size_t elem) {
  std::size_t n = elem;
  for (auto d : shape) {
    if (d < 0) throw value_error(cat("sizes must be non-negative, got shape ", shape_str(shape)));
    const auto ud = static_cast<std::size_t>(d);
    if (ud != 0 && n > std::numeric_limits<std::size_t>::max() / 2 / ud)
      throw size_error(cat("shape ", shape_str(shape), " is too large to allocate"));
    n *= ud;
  }
  return n;
}

}  // namespace detail
}  // namespace fastinit
