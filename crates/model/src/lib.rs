//! Dockyard's model of AWS container services.
//!
//! Pure and deterministic: no browser, no clock, no unseeded randomness, so
//! the same inputs give the same answers natively and in WebAssembly. Every
//! rule here follows `shared/domain/aws-container-rules.md`, whose section
//! numbers the doc comments cite as "rules §N".
//!
//! This first slice holds the rules that the course's key-concept panels
//! show as tables: the Fargate size menu, which principal makes each call,
//! and which volume types each launch type supports. The task definition
//! validator, registries and IAM evaluation build on these; `storage` also
//! says what each event does to data, and keeps simulated files a learner
//! can watch survive or vanish.

pub mod fargate;
pub mod principals;
pub mod storage;
pub mod taskdef;
