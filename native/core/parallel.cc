#include "core/parallel.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define OL_PAUSE() _mm_pause()
#else
#define OL_PAUSE() std::this_thread::yield()
#endif

namespace ol {
namespace {
thread_local bool tlsInPool = false;
// How long an idle worker spins before it sleeps on the condition variable.
constexpr auto kSpin = std::chrono::microseconds(200);
}  // namespace

int defaultThreads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(std::min(n, 256u));
}

ThreadPool& ThreadPool::global() {
  // Deliberately leaked: worker threads must not be joined during static destruction.
  static ThreadPool* pool = new ThreadPool(defaultThreads());
  return *pool;
}

ThreadPool::ThreadPool(int threads) { start(threads); }
ThreadPool::~ThreadPool() { stop(); }

void ThreadPool::start(int threads) {
  threads = std::max(1, std::min(threads, 256));
  stop_ = false;
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
}

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
}

void ThreadPool::resize(int threads) {
  std::lock_guard<std::mutex> runLock(runMutex_);
  stop();
  start(threads);
}

void ThreadPool::participate(uint32_t generation, const std::function<void(int)>* job, int numTasks) {
  for (;;) {
    uint64_t cur = claim_.load(std::memory_order_relaxed);
    int t;
    do {
      if (static_cast<uint32_t>(cur >> 32) != generation) return;  // a newer job: not ours
      t = static_cast<int>(cur & 0xFFFFFFFFu);
      if (t >= numTasks) return;
    } while (!claim_.compare_exchange_weak(cur, cur + 1, std::memory_order_acq_rel, std::memory_order_relaxed));
    (*job)(t);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_all();
    }
  }
}

void ThreadPool::workerLoop() {
  tlsInPool = true;
  uint64_t seen = generation_.load(std::memory_order_acquire);
  for (;;) {
    auto until = std::chrono::steady_clock::now() + kSpin;
    for (int i = 0; generation_.load(std::memory_order_acquire) == seen; ++i) {
      OL_PAUSE();
      if ((i & 255) == 255 && std::chrono::steady_clock::now() > until) break;
    }
    const std::function<void(int)>* job;
    int numTasks;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_.load(std::memory_order_acquire) != seen; });
      if (stop_) return;
      seen = generation_.load(std::memory_order_acquire);
      job = job_;
      numTasks = numTasks_;
    }
    // job_ is null once its job finished; a stale pointer is never called (the claim fails).
    if (job != nullptr) participate(static_cast<uint32_t>(seen), job, numTasks);
  }
}

void ThreadPool::run(int numTasks, const std::function<void(int)>& fn) {
  if (numTasks <= 0) return;
  if (tlsInPool || numTasks == 1 || workers_.empty()) {
    for (int t = 0; t < numTasks; ++t) fn(t);
    return;
  }
  std::lock_guard<std::mutex> runLock(runMutex_);
  if (workers_.empty()) {
    for (int t = 0; t < numTasks; ++t) fn(t);
    return;
  }
  uint32_t generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    numTasks_ = numTasks;
    pending_.store(numTasks, std::memory_order_relaxed);
    generation = static_cast<uint32_t>(generation_.fetch_add(1, std::memory_order_relaxed) + 1);
    claim_.store(static_cast<uint64_t>(generation) << 32, std::memory_order_release);
  }
  wake_.notify_all();
  tlsInPool = true;
  participate(generation, &fn, numTasks);
  tlsInPool = false;
  auto finished = [&] { return pending_.load(std::memory_order_acquire) == 0; };
  for (int i = 0; i < 4096 && !finished(); ++i) OL_PAUSE();
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, finished);
  job_ = nullptr;
}

}  // namespace ol
