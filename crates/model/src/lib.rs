//! Dockyard's model of AWS container services.
//!
//! Pure and deterministic: no browser, no clock, no unseeded randomness, so
//! the same inputs give the same answers natively and in WebAssembly. Every
//! rule here follows `shared/domain/aws-container-rules.md`, whose section
//! numbers the doc comments cite as "rules §N".
//!
//! This first slice holds the rules that the course's key-concept panels
//! show as tables: the Fargate size menu, which principal makes each call,
//! and which volume types each launch type supports. `iam` decides real
//! policy JSON for the principal that `principals` picks for each call;
//! the task definition validator and registries build on these.

pub mod fargate;
pub mod iam;
pub mod principals;
pub mod registry;
pub mod storage;
pub mod taskdef;
