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

void ThreadPool::participate() {
  const int n = numTasks_;
  const auto& fn = *job_;
  for (;;) {
    int t = nextTask_.fetch_add(1, std::memory_order_relaxed);
    if (t >= n) break;
    fn(t);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_all();
    }
  }
}

void ThreadPool::workerLoop() {
  tlsInPool = true;
  unsigned long long seen = generation_.load(std::memory_order_acquire);
  for (;;) {
    auto until = std::chrono::steady_clock::now() + kSpin;
    for (int i = 0; generation_.load(std::memory_order_acquire) == seen; ++i) {
      OL_PAUSE();
      if ((i & 255) == 255 && std::chrono::steady_clock::now() > until) break;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [&] { return stop_ || generation_.load(std::memory_order_acquire) != seen; });
    if (stop_) return;
    seen = generation_.load(std::memory_order_acquire);
    if (job_ == nullptr) continue;  // that job already finished
    active_.fetch_add(1, std::memory_order_relaxed);
    lock.unlock();
    participate();
    lock.lock();
    if (active_.fetch_sub(1, std::memory_order_acq_rel) == 1) done_.notify_all();
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
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    numTasks_ = numTasks;
    nextTask_.store(0, std::memory_order_relaxed);
    pending_.store(numTasks, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  tlsInPool = true;
  participate();
  tlsInPool = false;
  auto finished = [&] {
    return pending_.load(std::memory_order_acquire) == 0 && active_.load(std::memory_order_acquire) == 0;
  };
  for (int i = 0; i < 4096 && !finished(); ++i) OL_PAUSE();
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, finished);
  job_ = nullptr;
}

}  // namespace ol
