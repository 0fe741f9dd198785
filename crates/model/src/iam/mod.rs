//! IAM for Dockyard: real policy JSON, the evaluation that decides a
//! request, the roles a container's calls run under, the AWS managed
//! policies those roles usually carry, and the calls a learner simulates
//! (rules §4).
//!
//! [`authorize`] is IAM's whole documented logic: every policy type
//! (identity, resource, permissions boundary, session, SCPs, RCPs), the
//! same-account and cross-account rules, and `Condition` blocks evaluated
//! against the request's context ([`conditions`]). The simulation decides
//! its calls with it (`Role::decide`, and `Role::assumed_by` for trust
//! policies), and the terminal's `simulate-*-policy` and the CLI's
//! `dockyard iam simulate` answer with it. [`evaluate`] is the older
//! identity-only evaluation with every Condition taken as holding; only
//! `Role::evaluate` and its tests still use it, and each explanation it
//! gives says so.
//!
//! ARNs are built in the `aws` partition.
//!
//! The folder follows the way a call is decided: [`principals`] says who
//! makes it, `calls` what it asks of IAM, `roles` whether the role can be
//! assumed, `evaluate` how its `policy` documents decide, and `check` puts
//! the four together; `managed` holds the AWS managed policies as data.
//! Those modules are private and everything public is re-exported here, so
//! each item has one path, `crate::iam::Role`, whichever file it lives in.
//! The principal chain stays a public module because its callers name it
//! as a whole (`principals::who_calls`).

mod account_policies;
mod authorization;
mod calls;
mod check;
pub mod conditions;
mod evaluate;
mod managed;
mod matching;
mod policy;
mod policy_checks;
pub mod principals;
mod quotas;
mod roles;
mod workload;

pub use account_policies::{
    account_of, aws_managed_key, default_key_policy, resource_policy_name, AccountPolicies,
    ResourcePolicy,
};
pub use authorization::{
    authorize, Authorization, Caller, Named, Policies, PolicyType, Request, ResourcePolicyKind,
    Verdict,
};
pub use calls::{
    ecr_pull_actions, ecr_repository_arn, ActionRequest, AppCall, AppCallError, AwsContext,
};
pub use check::{
    check_call, simulate, Access, AssignedRoles, CallCheck, CallOutcome, CheckedAction,
};
pub use conditions::RequestContext;
pub use evaluate::{evaluate, Decision, DecisionEffect, StatementRef};
pub use managed::{
    managed_policy, managed_policy_info, ManagedPolicy, MANAGED_POLICIES, MANAGED_POLICIES_AS_OF,
    MANAGED_POLICY_NAMES,
};
pub use matching::{action_matches, resource_matches};
pub use policy::{
    Actions, Effect, PolicyDocument, PolicyError, PolicyPrincipal, Resources, Statement,
    LEGACY_POLICY_VERSION, POLICY_VERSION,
};
pub use policy_checks::{
    check_policy, policy_check, CheckKind, PolicyCheck, PolicyFinding, PolicyUse, POLICY_CHECKS,
};
pub use quotas::{
    inline_policies_error, managed_policy_error, policy_chars, trust_policy_error,
    MANAGED_POLICY_CHARS, ROLE_INLINE_POLICIES_CHARS, TRUST_POLICY_CHARS,
};
pub use roles::{
    role_name_error, trust_policy_for, trusted_service_for, Role, UnknownManagedPolicy,
    EC2_SERVICE, ECS_TASKS_SERVICE, EKS_FARGATE_PODS_SERVICE, EKS_POD_IDENTITY_SERVICE,
};
pub use workload::DecisionWorkload;

#[cfg(test)]
mod tests;
