#include "core/es/population_rollout.h"

#include <vector>

#include "core/parallel.h"

namespace ol::es {
namespace {

// One worker's buffers for a member's E envs, allocated once per task and reused across members.
struct Workspace {
  explicit Workspace(const RolloutSpec& s, const envs::Dims& d)
      : state(d.state * s.envsPerMember),
        elapsed(s.envsPerMember),
        rng(4 * s.envsPerMember),
        obs(d.obs * s.envsPerMember),
        finalObs(d.obs * s.envsPerMember),
        reward(s.envsPerMember),
        terminated(s.envsPerMember),
        truncated(s.envsPerMember),
        logits(static_cast<size_t>(s.policy.sizes[s.policy.numLayers]) * s.envsPerMember),
        mlpWork(nn::mlpForwardWorkspace(s.policy, s.envsPerMember)),
        discreteActions(s.envsPerMember),
        boxActions(d.discrete > 0 ? 0 : d.action * s.envsPerMember),
        episodeReturn(s.envsPerMember),
        active(s.envsPerMember) {}
  std::vector<float> state;
  std::vector<int32_t> elapsed;
  std::vector<uint32_t> rng;
  std::vector<float> obs, finalObs, reward;
  std::vector<uint8_t> terminated, truncated;
  std::vector<float> logits, mlpWork;
  std::vector<int32_t> discreteActions;
  std::vector<float> boxActions;
  std::vector<double> episodeReturn;
  std::vector<uint8_t> active;
};

void actions(const envs::Dims& d, size_t E, const float* logits, Workspace& w) {
  if (d.discrete > 0) {
    size_t k = static_cast<size_t>(d.discrete);
    for (size_t e = 0; e < E; ++e) {
      const float* l = logits + e * k;
      int32_t best = 0;
      for (size_t a = 1; a < k; ++a)
        if (l[a] > l[best]) best = static_cast<int32_t>(a);
      w.discreteActions[e] = best;
    }
  } else {
    // NaN outputs would be rejected by the env boundary; a NaN policy acts 0 instead.
    for (size_t i = 0; i < d.action * E; ++i) w.boxActions[i] = logits[i] == logits[i] ? logits[i] : 0.0f;
  }
}

void rolloutMember(const RolloutSpec& s, const envs::Dims& d, const float* params, size_t m, Workspace& w,
                   const RolloutOut& out) {
  const size_t E = s.envsPerMember;
  rng::Key memberKey = s.commonEnvSeeds ? s.key : rng::fold(s.key, static_cast<uint32_t>(m));
  envs::seedRows(memberKey, w.rng.data(), E);
  envs::Batch b{E, w.state.data(), s.tasks, w.elapsed.data(), w.rng.data()};
  envs::reset(s.env, b, w.obs.data());
  envs::StepOut so{w.obs.data(), w.reward.data(), w.terminated.data(), w.truncated.data(), w.finalObs.data()};
  std::fill(w.episodeReturn.begin(), w.episodeReturn.end(), 0.0);
  std::fill(w.active.begin(), w.active.end(), uint8_t{1});
  float* desc = out.descriptors + m * d.obs;
  std::fill(desc, desc + d.obs, 0.0f);
  std::vector<double> descAcc(d.obs, 0.0);
  const size_t actionWidth = d.discrete > 0 ? static_cast<size_t>(d.discrete) : d.action;
  std::vector<double> actAcc(out.actionStats != nullptr ? actionWidth : 0, 0.0);
  int32_t steps = 0;
  size_t running = E;
  const void* act = d.discrete > 0 ? static_cast<const void*>(w.discreteActions.data())
                                   : static_cast<const void*>(w.boxActions.data());
  for (size_t t = 0; t < s.maxSteps && running > 0; ++t) {
    nn::mlpForwardRows(s.policy, params, w.obs.data(), E, w.logits.data(), w.mlpWork.data());
    actions(d, E, w.logits.data(), w);
    envs::stepRange(s.env, b, act, so, 0, E);
    for (size_t e = 0; e < E; ++e) {
      if (!w.active[e]) continue;
      w.episodeReturn[e] += w.reward[e];
      ++steps;
      if (!actAcc.empty()) {
        if (d.discrete > 0)
          actAcc[static_cast<size_t>(w.discreteActions[e])] += 1.0;
        else
          for (size_t j = 0; j < d.action; ++j) actAcc[j] += w.boxActions[e * d.action + j];
      }
      bool done = w.terminated[e] || w.truncated[e] || t + 1 == s.maxSteps;
      if (done) {
        w.active[e] = 0;
        --running;
        for (size_t c = 0; c < d.obs; ++c) descAcc[c] += w.finalObs[e * d.obs + c];
      }
    }
  }
  double total = 0;
  for (size_t e = 0; e < E; ++e) total += w.episodeReturn[e];
  out.returns[m] = total / static_cast<double>(E);
  out.lengths[m] = steps;
  for (size_t c = 0; c < d.obs; ++c) desc[c] = static_cast<float>(descAcc[c] / static_cast<double>(E));
  if (!actAcc.empty()) {
    float* stats = out.actionStats + m * actionWidth;
    for (size_t j = 0; j < actionWidth; ++j)
      stats[j] = static_cast<float>(steps > 0 ? actAcc[j] / static_cast<double>(steps) : 0.0);
  }
}

}  // namespace

void rolloutPopulation(const RolloutSpec& spec, const float* params, const RolloutOut& out) {
  envs::Dims d = envs::dims(spec.env);
  size_t paramCount = nn::mlpParamCount(spec.policy);
  // Episode lengths vary by member: oversplit so a long episode does not hold up a thread.
  parallelFor(
      spec.members, 1,
      [&](size_t begin, size_t end) {
        Workspace w(spec, d);
        for (size_t m = begin; m < end; ++m) rolloutMember(spec, d, params + m * paramCount, m, w, out);
      },
      8);
}

}  // namespace ol::es
