// Generator, the default generator, threads, and raw access used by the known-answer tests.
#include "common.hpp"

namespace fastinit::py_glue {

namespace {
std::uint64_t u64_arg(const py::handle& v, const char* fn, const char* arg) {
  return int_arg<std::uint64_t>(v, fn, arg, 0, std::numeric_limits<std::uint64_t>::max());
}
}  // namespace

void register_random(py::module_& m) {
  py::class_<Generator, std::shared_ptr<Generator>>(
      m, "Generator", py::module_local(),
      "Philox4x32-10 counter-based generator: element i of a fill is a pure function of "
      "(seed, stream, offset + i // elements_per_block).")
      .def(py::init([](const py::object& seed, const py::object& stream, const py::object& offset) {
             return std::make_shared<Generator>(u64_arg(seed, "Generator", "seed"),
                                                u64_arg(stream, "Generator", "stream"),
                                                u64_arg(offset, "Generator", "offset"));
           }),
           py::arg("seed") = 0, py::arg("stream") = 0, py::arg("offset") = 0)
      .def_property_readonly("seed", &Generator::seed, "The 64-bit key.")
      .def_property_readonly("stream", &Generator::stream, "The 64-bit stream id.")
      .def_property(
          "offset", &Generator::offset,
          [](Generator& g, const py::object& v) {
            g.set_offset(u64_arg(v, "Generator", "offset"));
          },
          "The next unused 128-bit block of the stream.")
      .def_property_readonly("spawned", &Generator::spawned, "How many children were spawned.")
      .def("_restore_spawned", &Generator::set_spawned, py::arg("n"), "Used by unpickling.")
      .def(
          "spawn",
          [](Generator& g, const py::object& n_) {
            const auto n = int_arg<std::int64_t>(n_, "spawn", "n", 0, std::int64_t{1} << 40);
            if (n > (std::int64_t{1} << 32))  // refused before allocating: sizeof(Generator) each
              throw size_error(detail::cat("spawn: ", n, " generators are too many to allocate"));
            auto kids = g.spawn(static_cast<std::size_t>(n));
            std::vector<std::shared_ptr<Generator>> out;
            for (auto& k : kids) out.push_back(std::make_shared<Generator>(k));
            return out;
          },
          py::arg("n"), "n independent child generators (new streams).")
      .def(
          "derive",
          [](const Generator& g, const std::string& name) {
            return std::make_shared<Generator>(g.derive(name));
          },
          py::arg("name"),
          "The child stream keyed by a name (UTF-8 bytes hashed by FNV-1a-64, mixed with this "
          "stream): the same for the same (seed, stream, name) in any run, process or platform; "
          "independent of this generator's offset, which it does not advance.")
      .def(
          "clone", [](const Generator& g) { return std::make_shared<Generator>(g); },
          "A copy with the same state.")
      // Pickling (any protocol) and copy go through fastinit._loader.rebuild_generator, so a
      // pickle made with one compiled module loads with the other.
      .def("__reduce__",
           [](const Generator& g) {
             auto rebuild = py::module_::import("fastinit._loader").attr("rebuild_generator");
             return py::make_tuple(rebuild,
                                   py::make_tuple(g.seed(), g.stream(), g.offset(), g.spawned()));
           })
      .def("__repr__", [](const Generator& g) {
        return detail::cat("fastinit.Generator(seed=", g.seed(), ", stream=", g.stream(),
                           ", offset=", g.offset(), ")");
      });

  m.def("default_generator", &default_generator, "The generator used when generator=None.");
  m.def(
      "manual_seed",
      [](const py::object& seed_) {
        const std::uint64_t seed = u64_arg(seed_, "manual_seed", "seed");
        auto& s = default_generator_state();
        std::lock_guard<std::mutex> lk(s.m);
        s.gen = std::make_shared<Generator>(seed);
        s.initial_seed = seed;
        return s.gen;
      },
      py::arg("seed"), "Reseed the default generator; returns it.");
  m.def(
      "initial_seed",
      [] {
        auto& s = default_generator_state();
        std::lock_guard<std::mutex> lk(s.m);
        return s.initial_seed;
      },
      "The seed of the default generator.");

  m.def("get_num_threads", &get_num_threads, "Threads used by fastinit's parallel loops.");
  m.def(
      "set_num_threads",
      [](const py::object& n) {
        const int k = int_arg<int>(n, "set_num_threads", "n", 1, kMaxThreads);
        py::gil_scoped_release nogil;  // it waits for a running parallel region to finish
        set_num_threads(k);
      },
      py::arg("n"), "Set the number of threads (results are bit-identical for any value).");

  m.def(
      "philox4x32_10",
      [](std::array<std::uint32_t, 4> ctr, std::array<std::uint32_t, 2> key) {
        return philox::philox4x32_10(ctr, key);
      },
      py::arg("counter"), py::arg("key"),
      "One Philox4x32-10 block (the published reference form).");
  m.def(
      "random_bits",
      [](std::int64_t n, const py::object& generator) {
        if (n < 0) throw value_error(detail::cat("random_bits: n must be >= 0, got ", n));
        auto g = get_generator(generator);
        auto buf = aligned_alloc_array<std::uint32_t>(static_cast<std::size_t>(n));
        {
          py::gil_scoped_release nogil;
          random_bits(buf.get(), static_cast<std::size_t>(n), *g);
        }
        return adopt(std::move(buf), {n});
      },
      py::arg("n"), py::arg("generator") = py::none(),
      "n raw 32-bit words: word i is lane i % 4 of block offset + i // 4.");
}

}  // namespace fastinit::py_glue
