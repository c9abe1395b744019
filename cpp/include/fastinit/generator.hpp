// fastinit/generator.hpp — Generator: the state of one Philox stream (seed, stream, offset).
//
// A fill of n elements reserves ceil(n / EPB) consecutive blocks of the generator's stream
// (EPB = elements per block, fixed per transform) and element i is computed from block
// offset + i / EPB alone. So every value is a pure function of (seed, stream, offset + i):
// bit-identical for any thread count and any chunking, and identical from C++ and Python.
// Legend: seed = the Philox key; stream = the high half of the counter; offset = the next unused
// block; spawn(n) = n child streams derived from (stream, spawn count); derive(name) = the child
// stream keyed by a name (derived from (stream, FNV-1a-64 of the name's bytes)).
//
// Example (checked by tests/cpp/test_core.cpp, the same from Python):
//   fastinit::Generator g(42);
//   float w[4]; fastinit::normal_fill(w, 4, 0.0, 1.0, g);   // g.offset() is now 1
//   // w = {-0.97018981f, 0.19401890f, -1.23562086f, 1.92392683f}
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "errors.hpp"

namespace fastinit {

// State: seed (the key), stream (half of the counter) and offset (the next unused block).
// Each fill reserves its blocks atomically, so a Generator shared between threads hands each
// call a disjoint range; which call gets which range then depends on scheduling. For
// reproducible results across threads, give each thread its own Generator (spawn).
class Generator {
 public:
  explicit Generator(std::uint64_t seed = 0, std::uint64_t stream = 0, std::uint64_t offset = 0)
      : seed_(seed), stream_(stream), offset_(offset) {}
  Generator(const Generator& o)
      : seed_(o.seed_),
        stream_(o.stream_),
        offset_(o.offset()),
        spawned_(o.spawned()),
        exhausted_(o.exhausted_.load()) {}
  Generator& operator=(const Generator& o) {
    seed_ = o.seed_;
    stream_ = o.stream_;
    offset_.store(o.offset());
    spawned_.store(o.spawned());
    exhausted_.store(o.exhausted_.load());
    return *this;
  }

  std::uint64_t seed() const { return seed_; }
  std::uint64_t stream() const { return stream_; }
  std::uint64_t offset() const { return offset_.load(std::memory_order_relaxed); }
  std::uint64_t spawned() const { return spawned_.load(std::memory_order_relaxed); }
  void set_offset(std::uint64_t off) {
    offset_.store(off);
    exhausted_.store(false);
  }
  void set_spawned(std::uint64_t n) { spawned_.store(n); }

  // Reserve n blocks; returns the first. The stream has 2^64 blocks: a fill that would run
  // past the last one throws, and once the last block is used the generator is exhausted
  // (every further fill throws) rather than silently starting over.
  std::uint64_t reserve(std::uint64_t nblocks) {
    std::uint64_t cur = offset_.load(std::memory_order_relaxed);
    for (;;) {
      if (exhausted_.load())
        throw value_error("Generator: all 2^64 blocks of this stream are used; spawn a new stream");
      if (nblocks > 0 && nblocks - 1 > std::numeric_limits<std::uint64_t>::max() - cur)
        throw value_error(
            "Generator: the request runs past the stream's last block: the stream would be "
            "exhausted (2^64 blocks); spawn a new stream");
      if (offset_.compare_exchange_weak(cur, cur + nblocks)) {
        if (nblocks > 0 && cur + nblocks == 0) exhausted_.store(true);  // used block 2^64 - 1
        return cur;
      }
    }
  }

  // n independent child generators (same seed, new streams derived from this stream and a
  // running spawn count, so calling spawn again gives new children).
  std::vector<Generator> spawn(std::size_t n) {
    std::vector<Generator> kids;
    kids.reserve(n);  // a refused allocation leaves the spawn count unchanged
    const std::uint64_t first = spawned_.fetch_add(n);
    for (std::size_t i = 0; i < n; ++i) kids.emplace_back(seed_, child_stream(first + i));
    return kids;
  }

  // The child keyed by `name` (for a parameter: its qualified name, "encoder.0.weight"):
  //   seed   = this seed,
  //   stream = mix64(mix64(stream ^ 0xD6E8FEB86659FD93) ^ fnv1a64(name bytes)),  offset = 0.
  // It depends only on (seed, stream, name): not on this generator's offset or spawn count, and
  // deriving does not advance this generator. The same name always gives the same child (across
  // runs, processes and platforms: the hash is defined on bytes); different names give
  // different streams (distinct up to a 64-bit hash collision). The constant keeps derived
  // streams apart from spawned ones (child_stream).
  Generator derive(std::string_view name) const {
    return Generator(seed_, mix64(mix64(stream_ ^ 0xD6E8FEB86659FD93ull) ^ fnv1a64(name)));
  }

  // FNV-1a, 64-bit (offset basis 0xCBF29CE484222325, prime 0x100000001B3), over bytes.
  static std::uint64_t fnv1a64(std::string_view bytes) {
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (const char c : bytes) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001B3ull;
    }
    return h;
  }

  std::uint64_t child_stream(std::uint64_t index) const {
    return mix64(mix64(stream_ + 0x9E3779B97F4A7C15ull) ^ (index + 1) * 0xD1B54A32D192ED03ull);
  }

  static std::uint64_t mix64(std::uint64_t z) {  // splitmix64's finalizer
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t seed_, stream_;
  std::atomic<std::uint64_t> offset_;
  std::atomic<std::uint64_t> spawned_{0};
  std::atomic<bool> exhausted_{false};
};

}  // namespace fastinit
