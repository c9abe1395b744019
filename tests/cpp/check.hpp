// The checks of the C++ unit tests: CHECK counts a pass or prints the failed condition.
#pragma once

#include <cstdio>

inline int g_passed = 0, g_failed = 0;

#define CHECK(cond)                                                 \
  do {                                                              \
    if (cond) {                                                     \
      ++g_passed;                                                   \
    } else {                                                        \
      ++g_failed;                                                   \
      std::printf("FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    }                                                               \
  } while (0)

#define CHECK_THROWS(expr, type) \
  do {                           \
    bool thrown = false;         \
    try {                        \
      expr;                      \
    } catch (const type&) {      \
      thrown = true;             \
    }                            \
    CHECK(thrown);               \
  } while (0)

// tests/cpp/test_kernels.cpp: the MLP's kernels against their naive references.
void run_kernel_tests();
