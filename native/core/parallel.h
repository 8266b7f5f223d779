// A persistent thread pool for batched kernels.
// Work is split into tasks; the calling thread takes part. Workers spin briefly after each job
// before sleeping, so back-to-back short calls (an env step of ~20 µs) do not pay a wake-up.
// One job runs at a time (callers from several threads queue on a mutex); a kernel called from
// inside a pool task runs inline, so kernels may nest (a rollout calling the MLP forward).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ol {

class ThreadPool {
 public:
  static ThreadPool& global();

  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads that work on a job, the caller included (>= 1).
  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Restarts the pool with `threads` threads in all (clamped to [1, 256]).
  void resize(int threads);
  // Calls fn(task) for every task in [0, numTasks) and returns when all are done.
  void run(int numTasks, const std::function<void(int)>& fn);

 private:
  void start(int threads);
  void stop();
  void workerLoop();
  void participate(uint32_t generation, const std::function<void(int)>* job, int numTasks);

  std::vector<std::thread> workers_;
  std::mutex runMutex_;  // one job at a time
  std::mutex mutex_;     // guards job_, numTasks_, generation_ changes, stop_
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int)>* job_ = nullptr;
  int numTasks_ = 0;
  // Task claims carry the job's generation in the high 32 bits: a worker that woke for an old job
  // can never claim a task of a newer one, so the caller waits only for its tasks to finish, not
  // for late workers to notice that nothing is left.
  std::atomic<uint64_t> claim_{0};
  std::atomic<int> pending_{0};
  std::atomic<uint64_t> generation_{0};
  bool stop_ = false;
};

// Default thread count: the machine's hardware threads.
int defaultThreads();

// Splits [0, n) into contiguous ranges of at least `grain` items, at most one range per thread
// (times `oversplit` for load balance), and calls fn(begin, end) for each range in parallel.
// Elementwise kernels give the same result for any split; reductions must not depend on it.
template <class F>
void parallelFor(size_t n, size_t grain, F&& fn, int oversplit = 1) {
  if (n == 0) return;
  ThreadPool& pool = ThreadPool::global();
  grain = std::max<size_t>(grain, 1);
  size_t maxTasks = static_cast<size_t>(pool.size()) * static_cast<size_t>(std::max(oversplit, 1));
  size_t tasks = std::min(maxTasks, (n + grain - 1) / grain);
  if (tasks <= 1) {
    fn(size_t{0}, n);
    return;
  }
  size_t chunk = (n + tasks - 1) / tasks;
  pool.run(static_cast<int>(tasks), [&](int t) {
    size_t begin = static_cast<size_t>(t) * chunk;
    size_t end = std::min(n, begin + chunk);
    if (begin < end) fn(begin, end);
  });
}

}  // namespace ol
