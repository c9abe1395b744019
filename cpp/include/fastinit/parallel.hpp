// fastinit/parallel.hpp — a small thread pool and parallel_for.
//
// Why not OpenMP: libgomp's pool hangs a child process forked after it was used, and Python
// users fork (multiprocessing, Dask). This pool is re-created lazily in a forked child.
//
// Determinism contract: callers split work into tasks whose results do not depend on which
// thread runs them or how many threads there are (counter-based RNG, fixed GEMM row panels), so
// every result is bit-identical for any thread count.
//
// Nesting and concurrency: a parallel_for issued from inside a task, or while another thread of
// the process is using the pool, runs serially in the calling thread. It never deadlocks.
//
// Cost of a region: a network's layers start regions a few microseconds apart, and waking a
// sleeping thread costs tens of microseconds. So an idle worker watches for the next region for
// 50 us before it sleeps, the caller watches for its workers to finish before it sleeps (both
// only when the pool has no more threads than the machine has cores), and a worker that arrives
// after the caller has finished its share skips the region instead of being waited for. Four
// tasks of 4 us on 2 threads: 43 us per region with sleeping workers, 10 us so.
//
// Cancellation: a ScopedPoll installs, for the calling thread, a poll() -> bool that every
// parallel region started from that thread calls between the tasks that thread runs; when it
// returns true (or any task throws) the region is cancelled: no further task starts, the
// workers' nested regions stop at their next task, and the region throws fastinit::interrupted
// (or the task's error). Work is split finely enough for a check every few milliseconds even on
// one thread (the split never changes results). The Python bindings poll for Ctrl-C this way.
#pragma once

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "errors.hpp"
#include "types.hpp"

namespace fastinit {

// The most threads set_num_threads (or FASTINIT_NUM_THREADS) may ask for.
inline constexpr int kMaxThreads = 4096;

namespace detail {

inline bool& in_parallel_region() {
  thread_local bool flag = false;
  return flag;
}

// A per-calling-thread cap on the threads a parallel region may use (0: no cap).
inline int& thread_limit() {
  thread_local int limit = 0;
  return limit;
}

// The calling thread's poll (ScopedPoll), or null.
inline const std::function<bool()>*& thread_poll() {
  thread_local const std::function<bool()>* poll = nullptr;
  return poll;
}
// On a worker: the cancellation flag of the region whose task it runs, or null.
inline const std::atomic<bool>*& region_cancel() {
  thread_local const std::atomic<bool>* flag = nullptr;
  return flag;
}
// Whether the calling thread should stop: its poll asks to, or its region was cancelled.
inline bool stop_requested() {
  if (const auto* p = thread_poll()) return (*p)();
  const auto* c = region_cancel();
  return c && c->load(std::memory_order_relaxed);
}

class ThreadPool {
 public:
  // Starts nthreads - 1 workers. When the system refuses a thread, the ones already started are
  // stopped and joined and a std::runtime_error says so (a half-built pool would otherwise wait
  // forever for workers that do not exist).
  explicit ThreadPool(int nthreads)
      : nthreads_(std::max(1, nthreads)),
        spin_(unsigned(nthreads_) <= std::max(1u, std::thread::hardware_concurrency())) {
    try {
      for (int i = 1; i < nthreads_; ++i) workers_.emplace_back([this] { worker_loop(); });
    } catch (const std::system_error& e) {
      const auto started = workers_.size();
      stop_and_join();
      throw std::runtime_error(cat("fastinit could not start ", nthreads_ - 1,
                                   " worker threads (the system refused one after ", started, ": ",
                                   e.what(), "); call set_num_threads with fewer"));
    }
  }
  ~ThreadPool() { stop_and_join(); }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return nthreads_; }

  // Runs fn(t) for every t in [0, ntasks) on all threads (the caller included); rethrows the
  // first exception a task threw.
  // At most max_threads threads (the caller included) take tasks.
  void run(index_t ntasks, const std::function<void(index_t)>& fn, int max_threads) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lk(m_);
      fn_ = &fn;
      ntasks_ = ntasks;
      next_.store(0);
      cancelled_.store(false);
      joined_ = 1;
      running_.store(0);
      closed_ = false;
      max_threads_ = std::max(1, max_threads);
      error_ = nullptr;
      generation_.store(generation_.load() + 1, std::memory_order_release);
      wake = sleepers_ > 0;
    }
    if (wake) cv_.notify_all();  // spinning workers see the new generation by themselves
    bool& flag = in_parallel_region();
    const bool saved = flag;
    flag = true;
    const std::function<bool()>* poll = thread_poll();
    drain(poll);
    flag = saved;
    // Close the region: workers that have not joined yet skip it, and the caller waits only for
    // those running its tasks (a late worker never delays it) — watching first, then asleep.
    {
      std::lock_guard<std::mutex> lk(m_);
      closed_ = true;
    }
    if (!spin_until([this] { return running_.load(std::memory_order_acquire) == 0; })) {
      std::unique_lock<std::mutex> lk(m_);
      caller_waiting_ = true;
      done_.wait(lk, [this] { return running_.load(std::memory_order_acquire) == 0; });
      caller_waiting_ = false;
    }
    std::lock_guard<std::mutex> lk(m_);
    fn_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  // How long an idle worker watches for the next region before it sleeps: regions follow each
  // other a few microseconds apart (a network's layers), and waking a sleeping thread costs tens
  // of microseconds; 50 us of watching is a small price beside a region's work.
  static constexpr double kSpinMicros = 50;

  static void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
  }

  // Takes tasks until none is left; the caller's thread also polls before each of its tasks.
  void drain(const std::function<bool()>* poll = nullptr) {
    for (;;) {
      if (cancelled_.load(std::memory_order_relaxed)) return;
      if (poll && (*poll)()) {
        cancel(std::make_exception_ptr(interrupted()));
        return;
      }
      const index_t t = next_.fetch_add(1);
      if (t >= ntasks_) return;
      try {
        (*fn_)(t);
      } catch (...) {
        cancel(std::current_exception());
      }
    }
  }
  // Keeps the first error; no task starts after it and nested regions stop early.
  void cancel(std::exception_ptr e) {
    std::lock_guard<std::mutex> lk(m_);
    if (!error_) error_ = std::move(e);
    next_.store(ntasks_);
    cancelled_.store(true);
  }
  void stop_and_join() {
    {
      std::lock_guard<std::mutex> lk(m_);
      stop_.store(true);
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }
  // Watches done() for up to kSpinMicros; whether it came true. Not when the pool has more
  // threads than the machine has cores: a watching thread would take a core from a working one.
  template <class Done>
  bool spin_until(Done&& done) const {
    if (!spin_) return done();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0;; ++i) {
      if (done()) return true;
      if ((i & 63) == 63 &&
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() >
              kSpinMicros)
        return false;
      cpu_relax();
    }
  }
  void worker_loop() {
    in_parallel_region() = true;
    std::uint64_t seen = 0;
    for (;;) {
      spin_until(
          [&] { return generation_.load(std::memory_order_acquire) != seen || stop_.load(); });
      {
        std::unique_lock<std::mutex> lk(m_);
        if (!stop_.load() && generation_.load() == seen) {
          ++sleepers_;
          cv_.wait(lk, [&] { return stop_.load() || generation_.load() != seen; });
          --sleepers_;
        }
        if (stop_.load()) return;
        seen = generation_.load();
        if (closed_ || joined_ >= max_threads_) continue;  // over already, or full
        ++joined_;
        running_.fetch_add(1, std::memory_order_relaxed);
      }
      region_cancel() = &cancelled_;
      drain();
      region_cancel() = nullptr;
      if (running_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lk(m_);
        if (caller_waiting_) done_.notify_all();
      }
    }
  }

  const int nthreads_;
  const bool spin_;  // idle threads watch before they sleep (no more threads than cores)
  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable cv_, done_;
  // The region (set by run under m_; read by the threads that joined it).
  const std::function<void(index_t)>* fn_ = nullptr;
  index_t ntasks_ = 0;
  std::atomic<index_t> next_{0};
  std::atomic<bool> cancelled_{false};
  int max_threads_ = 1;
  // Under m_: threads that joined the region (the caller included), workers asleep on cv_,
  // whether the caller has finished its share, whether it sleeps on done_.
  int joined_ = 0, sleepers_ = 0;
  bool closed_ = false, caller_waiting_ = false;
  std::atomic<int> running_{0};               // workers inside the region's tasks (joined under m_)
  std::atomic<std::uint64_t> generation_{0};  // written under m_; spinning workers read it
  std::atomic<bool> stop_{false};
  std::exception_ptr error_;
};

inline int default_num_threads() {
  if (const char* env = std::getenv("FASTINIT_NUM_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return std::min(n, kMaxThreads);
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return hw ? static_cast<int>(hw) : 1;
}

// Process-wide pool state. Deliberately never destroyed: worker threads blocked at interpreter
// exit must not be joined from a static destructor. A forked child drops the parent's state
// (its threads do not exist there) and starts afresh.
struct PoolState {
  std::mutex busy;    // held while a parallel region runs
  std::mutex config;  // guards pool / nthreads
  std::unique_ptr<ThreadPool> pool;
  int nthreads = default_num_threads();
};

inline std::atomic<PoolState*>& pool_state_ptr() {
  static std::atomic<PoolState*> ptr{nullptr};
  return ptr;
}

inline void pool_after_fork_in_child() {
  PoolState* old = pool_state_ptr().load();
  auto* fresh = new PoolState;
  if (old) {
    fresh->nthreads = old->nthreads;
    (void)old->pool.release();  // the threads are gone in the child; leak the husk
  }
  pool_state_ptr().store(fresh);
}

inline PoolState& pool_state() {
  PoolState* s = pool_state_ptr().load();
  if (s) return *s;
  static std::once_flag once;
  std::call_once(once, [] {
    pool_state_ptr().store(new PoolState);
    ::pthread_atfork(nullptr, nullptr, &pool_after_fork_in_child);
  });
  return *pool_state_ptr().load();
}

}  // namespace detail

// Number of threads fastinit's parallel loops use (the caller counts as one).
inline int get_num_threads() {
  auto& s = detail::pool_state();
  std::lock_guard<std::mutex> lk(s.config);
  return s.nthreads;
}

inline void set_num_threads(int n) {
  if (n < 1 || n > kMaxThreads)
    throw value_error(detail::cat("set_num_threads: n must be in [1, ", kMaxThreads, "], got ", n));
  auto& s = detail::pool_state();
  std::lock_guard<std::mutex> busy(s.busy);  // wait for a running region to finish
  std::lock_guard<std::mutex> lk(s.config);
  if (s.nthreads != n) {
    s.nthreads = n;
    s.pool.reset();
  }
}

namespace detail {
// The tasks on the calling thread, one after another, polling before each.
template <class F>
void serial_tasks(index_t ntasks, F& fn) {
  for (index_t t = 0; t < ntasks; ++t) {
    if (stop_requested()) throw interrupted();
    fn(t);
  }
}
}  // namespace detail

// Runs fn(t) for t in [0, ntasks). Tasks must not depend on the thread that runs them.
template <class F>
void parallel_tasks(index_t ntasks, F&& fn) {
  if (ntasks <= 0) return;
  auto& s = detail::pool_state();
  if (ntasks == 1 || detail::in_parallel_region()) {
    detail::serial_tasks(ntasks, fn);
    return;
  }
  const int limit = detail::thread_limit();
  if (limit == 1) {
    detail::serial_tasks(ntasks, fn);
    return;
  }
  std::unique_lock<std::mutex> busy(s.busy, std::try_to_lock);
  if (!busy.owns_lock()) {  // another thread is using the pool: run here, serially
    detail::serial_tasks(ntasks, fn);
    return;
  }
  detail::ThreadPool* pool = nullptr;
  {
    std::lock_guard<std::mutex> lk(s.config);
    if (s.nthreads > 1 && !s.pool) s.pool = std::make_unique<detail::ThreadPool>(s.nthreads);
    pool = s.nthreads > 1 ? s.pool.get() : nullptr;
  }
  if (!pool) {
    detail::serial_tasks(ntasks, fn);
    return;
  }
  const std::function<void(index_t)> f = [&fn](index_t t) { fn(t); };
  pool->run(ntasks, f, limit > 0 ? limit : pool->size());
}

// Work below this many operations (multiply-adds, elements touched) runs on the calling thread:
// waking the pool costs more than such a region (~50 us of one core at most) gains from it.
inline constexpr double kMinParallelWork = double(1 << 20);

// parallel_tasks for a region of about `work` operations in all: serial when it is small. The
// results do not change (the tasks never depend on the thread that runs them).
template <class F>
void parallel_tasks(index_t ntasks, double work, F&& fn) {
  if (work < kMinParallelWork) {
    for (index_t t = 0; t < ntasks; ++t) fn(t);  // too short to poll for
    return;
  }
  parallel_tasks(ntasks, std::forward<F>(fn));
}

// Caps the threads of the parallel regions that the current thread starts, for a scope
// (fastinit.sweep(threads=...)): unlike set_num_threads, it does not touch other callers.
class ScopedThreadLimit {
 public:
  explicit ScopedThreadLimit(int n) : saved_(detail::thread_limit()) {
    if (n < 0) throw value_error(detail::cat("threads must be >= 1, got ", n));
    detail::thread_limit() = n;
  }
  ~ScopedThreadLimit() { detail::thread_limit() = saved_; }
  ScopedThreadLimit(const ScopedThreadLimit&) = delete;
  ScopedThreadLimit& operator=(const ScopedThreadLimit&) = delete;

 private:
  int saved_;
};

// Caller-side cancellation for a scope (see the top of this file): poll() runs on this thread
// only, between tasks; it must be cheap (a clock read) most of the time.
class ScopedPoll {
 public:
  explicit ScopedPoll(const std::function<bool()>& poll) : saved_(detail::thread_poll()) {
    detail::thread_poll() = &poll;
  }
  ~ScopedPoll() { detail::thread_poll() = saved_; }
  ScopedPoll(const ScopedPoll&) = delete;
  ScopedPoll& operator=(const ScopedPoll&) = delete;

 private:
  const std::function<bool()>* saved_;
};

// Suspends the calling thread's poll for a scope that must not stop half-way (an optimizer
// step); the suspended poll is still available to check at the scope's own safe points.
class SuspendedPoll {
 public:
  SuspendedPoll() : saved_(detail::thread_poll()), saved_cancel_(detail::region_cancel()) {
    detail::thread_poll() = nullptr;
    detail::region_cancel() = nullptr;
  }
  ~SuspendedPoll() {
    detail::thread_poll() = saved_;
    detail::region_cancel() = saved_cancel_;
  }
  SuspendedPoll(const SuspendedPoll&) = delete;
  SuspendedPoll& operator=(const SuspendedPoll&) = delete;

 private:
  const std::function<bool()>* saved_;
  const std::atomic<bool>* saved_cancel_;
};

// Runs fn(begin, end) over a split of [0, n) into pieces of at least `grain` items (callers
// never depend on the split). With a ScopedPoll, at least 64 pieces when there are that many
// grains (up to 4096 for fine grains), so even one thread polls every few milliseconds.
template <class F>
void parallel_for(index_t n, index_t grain, F&& fn) {
  if (n <= 0) return;
  grain = std::max<index_t>(grain, 1);
  const index_t nthreads = detail::thread_limit() > 0
                               ? std::min(detail::thread_limit(), get_num_threads())
                               : get_num_threads();
  const index_t max_pieces = (n + grain - 1) / grain;
  const bool polled = detail::thread_poll() != nullptr;
  const index_t pieces =
      std::min<index_t>(max_pieces, polled ? std::max<index_t>(64, nthreads * 4) : nthreads * 4);
  if (pieces <= 1 || (nthreads == 1 && !polled)) {
    fn(index_t{0}, n);
    return;
  }
  parallel_tasks(pieces, [&](index_t t) {
    const index_t b = n * t / pieces, e = n * (t + 1) / pieces;
    if (b < e) fn(b, e);
  });
}

}  // namespace fastinit
