#!/usr/bin/env python3
"""Independent reference for GrpoGoldenTest: TRL's GRPO advantages and loss on a fixed batch.

Written from TRL's GRPOTrainer (trl/trainer/grpo_trainer.py, _generate_and_score_completions and
_compute_loss, multi_objective_aggregation="sum_then_normalize", importance_sampling_level="token")
and trl/trainer/utils.py nanstd, in float32 torch as TRL runs it:
- rewards = (rewards_per_func * reward_weights).nansum(1); groups of G consecutive completions;
  advantages = (r - group mean) / (std + 1e-4) with std the group's ("group"), the batch's
  ("batch"), or no division ("none"); std Bessel-corrected;
- coef_1 = exp(logp - old_logp) (old_logp = logp.detach() when not given), coef_2 = clamp(coef_1,
  1 - eps_low, 1 + eps_high), per_token_loss = -min(coef_1 * A, coef_2 * A)
  + beta * (exp(ref - logp) - (ref - logp) - 1);
- loss: grpo = mean over rows of masked token means; bnpo = masked token mean; dr_grpo = masked
  sum / (rows * max_completion_length); dapo = masked sum / number of completion tokens;
- metrics: kl (masked token mean), clip_ratio/low_mean, high_mean, region_mean;
- the gradient of each loss with respect to the policy log-probs.
The inputs are drawn here (seeded) and written to the output with the expected values.

  /usr/bin/python3 grpo_reference.py > ../resources/org/genderalign/trainer/grpo/grpo-golden.json
Produced with Debian's python3-torch 1.13.
"""
import json

import torch

G, PROMPTS, L = 4, 3, 7
N = G * PROMPTS
MAX_COMPLETION_LENGTH = 8
WEIGHTS = [1.0, 0.5]


def nanstd(t, dim=None):
    mean = torch.nanmean(t, dim=dim, keepdim=True)
    var = torch.nanmean((t - mean) ** 2, dim=dim, keepdim=True)
    count = torch.sum(~torch.isnan(t), dim=dim, keepdim=True)
    var = var * (count / (count - 1))
    std = torch.sqrt(var)
    return std.squeeze() if dim is None else std.squeeze(dim)


def advantages(rewards_per_func, weights, scale):
    rewards = (rewards_per_func * weights.unsqueeze(0)).nansum(dim=1)
    mean = torch.nanmean(rewards.view(-1, G), dim=1).repeat_interleave(G, dim=0)
    if scale in ("group", "none"):
        std = nanstd(rewards.view(-1, G), dim=1).repeat_interleave(G, dim=0)
    else:
        std = nanstd(rewards).expand_as(rewards)
    adv = rewards - mean
    if scale != "none":
        adv = adv / (std + 1e-4)
    zero = torch.isclose(std, torch.zeros_like(std)).float().mean()
    return rewards, adv, zero


def loss(logps, old, ref, adv, mask, loss_type, beta, eps_low, eps_high):
    old = logps.detach() if old is None else old
    coef_1 = torch.exp(logps - old)
    coef_2 = torch.clamp(coef_1, 1 - eps_low, 1 + eps_high)
    a = adv.unsqueeze(1)
    per_token = -torch.min(coef_1 * a, coef_2 * a)
    kl = None
    if beta != 0.0:
        kl = torch.exp(ref - logps) - (ref - logps) - 1
        per_token = per_token + beta * kl
    if loss_type == "grpo":
        value = ((per_token * mask).sum(-1) / mask.sum(-1).clamp(min=1.0)).mean()
    elif loss_type == "bnpo":
        value = (per_token * mask).sum() / mask.sum().clamp(min=1.0)
    elif loss_type == "dr_grpo":
        value = (per_token * mask).sum() / (per_token.size(0) * MAX_COMPLETION_LENGTH)
    elif loss_type == "dapo":
        value = (per_token * mask).sum() / mask.sum().clamp(min=1.0)
    else:
        raise ValueError(loss_type)

    def masked_mean(x):
        return ((x * mask).sum() / mask.sum().clamp(min=1.0)).item()

    low = ((coef_1 < 1 - eps_low) & (a < 0)).float()
    high = ((coef_1 > 1 + eps_high) & (a > 0)).float()
    return value, {
        "kl": masked_mean(kl) if kl is not None else 0.0,
        "clip_low": masked_mean(low),
        "clip_high": masked_mean(high),
        "clip_region": masked_mean(((low + high) > 0).float()),
    }


def main():
    torch.manual_seed(1234)
    rewards_per_func = torch.rand(N, 2)
    rewards_per_func[4:8, 0] = 0.75  # a group whose weighted rewards are all equal: std 0
    rewards_per_func[4:8, 1] = 0.25
    weights = torch.tensor(WEIGHTS)
    lengths = [7, 5, 1, 3, 7, 6, 2, 4, 7, 7, 3, 5]
    mask = torch.zeros(N, L)
    for i, n in enumerate(lengths):
        mask[i, :n] = 1
    logps = -torch.rand(N, L) * 3
    old = logps + torch.randn(N, L) * 0.3  # some ratios beyond 1 ± eps
    ref = logps + torch.randn(N, L) * 0.5
    out = {
        "g": G, "weights": WEIGHTS, "max_completion_length": MAX_COMPLETION_LENGTH,
        "rewards_per_func": rewards_per_func.tolist(), "mask": mask.tolist(), "logps": logps.tolist(),
        "old_logps": old.tolist(), "ref_logps": ref.tolist(), "advantages": {}, "cases": [],
    }
    for scale in ("group", "batch", "none"):
        rewards, adv, zero = advantages(rewards_per_func, weights, scale)
        out["rewards"] = rewards.tolist()
        out["advantages"][scale] = {"values": adv.tolist(), "frac_reward_zero_std": zero.item()}
    _, adv, _ = advantages(rewards_per_func, weights, "group")
    cases = []
    for loss_type in ("dapo", "grpo", "bnpo", "dr_grpo"):
        cases.append((loss_type, True, 0.04, 0.2, 0.28))
        cases.append((loss_type, True, 0.0, 0.2, 0.2))
    cases.append(("dapo", False, 0.0, 0.2, 0.2))  # one iteration: old = logp.detach(), ratio 1
    cases.append(("grpo", False, 0.1, 0.2, 0.2))
    for loss_type, use_old, beta, eps_low, eps_high in cases:
        lp = logps.clone().requires_grad_(True)
        value, metrics = loss(lp, old if use_old else None, ref, adv, mask, loss_type, beta, eps_low, eps_high)
        value.backward()
        cases_out = {
            "loss_type": loss_type, "use_old": use_old, "beta": beta, "epsilon": eps_low, "epsilon_high": eps_high,
            "loss": value.item(), "grad": lp.grad.tolist(),
        }
        cases_out.update(metrics)
        out["cases"].append(cases_out)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
