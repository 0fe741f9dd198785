//! Dockyard's model of AWS container services.
//!
//! Pure and deterministic: no browser, no clock, no unseeded randomness, so
//! the same inputs give the same answers natively and in WebAssembly. Every
//! rule here follows `shared/domain/aws-container-rules.md`, whose section
//! numbers the doc comments cite as "rules §N".
//!
//! - `taskdef`: task definitions as the ECS API takes them; import,
//!   validation with the verdict AWS would give, revisions.
//! - `fargate`: the Fargate size menu.
//! - `iam`: which principal makes each call (`iam::principals`, also
//!   reachable as `principals`), and whether its real policy JSON allows it.
//! - `registry`: image references, ECR repositories, scans, lifecycle
//!   policies, Docker Hub's pull limits.
//! - `json`: reading typed values out of JSON, naming the field at fault.
//! - `hash`: the stable hash behind derived ids and digests.
//! - `storage`: volume types, where they work, what each event does to the
//!   data, and simulated files a learner can watch survive or vanish.

pub mod fargate;
pub mod hash;
pub mod iam;
pub mod json;
pub mod order;
pub mod registry;
pub mod sim;
pub mod storage;
pub mod taskdef;

// The principal chain lives in the iam folder; the simulation, the CLI,
// the course and the app name it `principals`, so the old path stays.
pub use iam::principals;
