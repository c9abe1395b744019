// Prints the bit-check records (see ../bitcheck.hpp) through an installed fastinit.
#include <cstdio>

#include "../bitcheck.hpp"

int main() {
  std::fputs(bitcheck::all_records().c_str(), stdout);
  return 0;
}
