//! Docker Hub's pull rate limits (rules §8, §10 point 18): why `nginx` in a
//! task definition can stop a deployment, and why ECR avoids it.
//!
//! Limits change; these are the figures Docker's "Usage and limits" page
//! documents as of [`DOCKER_HUB_LIMITS_AS_OF`]. Docker announced 10 pulls an
//! hour (anonymous) and 100 an hour (free account) for April 2025 but did
//! not enforce them; its pages went back to the per-6-hour limits below
//! (<https://docs.docker.com/docker-hub/usage/pulls/>), which registry
//! responses report in their `ratelimit-limit` header (`100;w=21600`).
//! The shared rules reference (§8, §10 point 18) still quotes the withdrawn
//! hourly figures, from docker/docs PRs #22081 and #22134; later revisions
//! of the same page document the limits below.

use serde::Serialize;

/// When the figures below were last checked against Docker's documentation.
pub const DOCKER_HUB_LIMITS_AS_OF: &str = "November 2026";

/// Unauthenticated pulls allowed per rolling window, counted per IPv4
/// address (or IPv6 /64 subnet). Every task behind one NAT gateway shares
/// that address, so a whole fleet in private subnets shares this allowance.
pub const ANONYMOUS_PULLS_PER_WINDOW: u32 = 100;

/// Pulls allowed per rolling window for a free (Personal) Docker account,
/// counted per account wherever it pulls from.
pub const FREE_ACCOUNT_PULLS_PER_WINDOW: u32 = 200;

/// The window the limits are counted over: six hours.
pub const WINDOW_SECONDS: u64 = 6 * 60 * 60;

/// The window in words, for the messages that quote the limits.
pub const WINDOW_WORDS: &str = "6 hours";

/// Who is pulling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DockerHubPuller {
    /// No `docker login`: counted by source IP.
    Anonymous,
    /// A free Personal account: counted by user.
    FreeAccount,
    /// Pro, Team or Business: unlimited, subject to fair use.
    PaidAccount,
}

impl DockerHubPuller {
    /// Pulls allowed per rolling window; `None` when unlimited.
    pub fn pulls_per_window(self) -> Option<u32> {
        match self {
            DockerHubPuller::Anonymous => Some(ANONYMOUS_PULLS_PER_WINDOW),
            DockerHubPuller::FreeAccount => Some(FREE_ACCOUNT_PULLS_PER_WINDOW),
            DockerHubPuller::PaidAccount => None,
        }
    }
}

/// A pull Docker Hub refused: HTTP 429 with the `toomanyrequests` error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TooManyRequests {
    pub http_status: u16,
    pub code: &'static str,
    pub message: &'static str,
    /// When the oldest counted pull leaves the window and one more is allowed.
    pub retry_at: u64,
}

impl std::fmt::Display for TooManyRequests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for TooManyRequests {}

/// Counts the pulls of one source IP (or one account) and refuses those over
/// the limit in any rolling window. Refused pulls are not counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DockerHubPullCounter {
    puller: DockerHubPuller,
    /// Times of the allowed pulls still inside the window, oldest first.
    recent: Vec<u64>,
}

impl DockerHubPullCounter {
    pub fn new(puller: DockerHubPuller) -> DockerHubPullCounter {
        DockerHubPullCounter {
            puller,
            recent: Vec::new(),
        }
    }

    pub fn puller(&self) -> DockerHubPuller {
        self.puller
    }

    /// A pull at `at_seconds`: `Ok` with the pulls left in the window, or the
    /// 429 Docker Hub answers. Times should not go backwards.
    pub fn pull(&mut self, at_seconds: u64) -> Result<Option<u32>, TooManyRequests> {
        // A pull exactly one window after another no longer counts it.
        self.recent
            .retain(|&t| t + WINDOW_SECONDS > at_seconds && t <= at_seconds);
        let Some(limit) = self.puller.pulls_per_window() else {
            return Ok(None);
        };
        if self.recent.len() >= limit as usize {
            return Err(TooManyRequests {
                http_status: 429,
                code: "toomanyrequests",
                message: match self.puller {
                    DockerHubPuller::Anonymous => {
                        "You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit"
                    }
                    _ => {
                        "You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit"
                    }
                },
                retry_at: self.recent[0] + WINDOW_SECONDS,
            });
        }
        self.recent.push(at_seconds);
        Ok(Some(limit - self.recent.len() as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_101st_anonymous_pull_in_six_hours_is_refused_until_the_first_ages_out() {
        let mut counter = DockerHubPullCounter::new(DockerHubPuller::Anonymous);
        for n in 0..100 {
            assert_eq!(counter.pull(100 + n * 60), Ok(Some(99 - n as u32)));
        }
        let refused = counter.pull(10_000).unwrap_err();
        assert_eq!(refused.http_status, 429);
        assert_eq!(refused.code, "toomanyrequests");
        assert!(refused
            .to_string()
            .starts_with("toomanyrequests: You have reached your unauthenticated pull rate limit"));
        assert_eq!(refused.retry_at, 100 + WINDOW_SECONDS);
        assert_eq!(WINDOW_SECONDS, 21_600);
        assert!(counter.pull(100 + WINDOW_SECONDS - 1).is_err());
        // Six hours after the first pull, one slot is free again.
        assert_eq!(counter.pull(100 + WINDOW_SECONDS), Ok(Some(0)));
        assert!(counter.pull(100 + WINDOW_SECONDS + 1).is_err());
        // Twelve hours later the window is empty.
        assert_eq!(counter.pull(2 * WINDOW_SECONDS + 7_000), Ok(Some(99)));
    }

    #[test]
    fn free_accounts_get_200_per_window_and_paid_accounts_are_unlimited() {
        let mut free = DockerHubPullCounter::new(DockerHubPuller::FreeAccount);
        for n in 0..200 {
            assert!(free.pull(n).is_ok(), "pull {n}");
        }
        let refused = free.pull(200).unwrap_err();
        assert!(refused
            .message
            .starts_with("You have reached your pull rate limit."));

        let mut paid = DockerHubPullCounter::new(DockerHubPuller::PaidAccount);
        for n in 0..1_000 {
            assert_eq!(paid.pull(n), Ok(None));
        }
    }
}
