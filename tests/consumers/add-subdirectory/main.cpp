// Prints the bit-check records (see ../bitcheck.hpp) through fastinit vendored by add_subdirectory.
#include <cstdio>

#include "../bitcheck.hpp"

int main() {
  std::fputs(bitcheck::all_records().c_str(), stdout);
  return 0;
}
