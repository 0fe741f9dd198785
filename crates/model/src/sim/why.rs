//! Why a task stopped before it ran, a pod is Pending or a service cannot
//! place its tasks, as a chain of causes, each step naming the chapter of
//! the notes that teaches it. For a task: the call made for it at start,
//! who made it, what IAM answered, and what would change the answer, built
//! from the same `CallCheck` that decided the stop, so that it cannot
//! disagree with the stopped reason ECS gives. For a pod: the scheduler's
//! words, why in EKS's terms, and what would change it, from the kind of
//! wait the scheduler recorded. For a service: ECS's answer, what
//! placement books, and what would change it.

use serde::Serialize;

use crate::iam::{Access, CallCheck, PolicyType};
use crate::principals::{Platform, Principal};
use crate::sim::eks::{Eks, PendingKind, Pod, VOLUME_CONFLICT};
use crate::sim::{Capacity, Service};

/// One step of the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    /// What happened, in words.
    pub said: String,
    /// The slug of the notes chapter that teaches it.
    pub chapter: &'static str,
}

impl Cause {
    fn new(said: impl Into<String>, chapter: &'static str) -> Cause {
        Cause {
            said: said.into(),
            chapter,
        }
    }
}

/// The chain behind a start that `check` refused, stopped with ECS's
/// `error` (such as `CannotPullContainerError`).
pub fn refused_call(error: &str, check: &CallCheck) -> Vec<Cause> {
    let ecs = matches!(check.platform, Platform::EcsOnFargate | Platform::EcsOnEc2);
    let role = check.outcome.role.as_deref();
    let principal = match role {
        Some(role) => format!("the {} {role}", check.principal.label()),
        None => format!("the {}", check.principal.label()),
    };
    let mut chain = vec![
        Cause::new(
            format!(
                "{error}: the task stopped before its containers ran, because a call made for it at start was refused."
            ),
            "ecs-core-concepts",
        ),
        Cause::new(
            format!(
                "The call: {} on {}. {} {}",
                lowercase_first(check.call.kind().label()),
                check.platform.label(),
                match check.principal {
                    Principal::Nobody => "No principal has credentials for it.".to_string(),
                    _ => format!("It is made with {principal}."),
                },
                check.why
            ),
            "ecs-iam",
        ),
    ];
    let denied = check
        .outcome
        .checks
        .iter()
        .find(|c| !c.decision.is_allowed());
    match (check.outcome.access, denied) {
        (Access::ImplicitlyDenied, Some(denied)) => {
            let (action, resource) = (&denied.request.action, &denied.request.resource);
            chain.push(Cause::new(
                format!(
                    "IAM's answer: an implicit deny. {}",
                    denied.decision.explanation
                ),
                "ecs-iam",
            ));
            let only = match check.principal {
                Principal::TaskExecutionRole => {
                    " The task role's permissions are never used for this call."
                }
                Principal::ContainerInstanceRole => {
                    " Without an execution role in the task definition, the instance profile makes it."
                }
                _ => "",
            };
            // The policy whose missing Allow denied: the fix goes there,
            // not always into the role's own policies.
            let fix = match denied.decision.decided_by {
                None | Some(PolicyType::IdentityBased) => format!(
                    "What changes the answer: a statement allowing {action} on {resource} in a policy of {principal}, and no Deny matching it anywhere.{only}"
                ),
                Some(PolicyType::ResourceBased) => format!(
                    "What changes the answer: the resource's own policy (the repository, key or secret policy named above, in the resource's account) allowing {principal} {action} on {resource}. The role's own policies cannot grant it alone here."
                ),
                Some(PolicyType::PermissionsBoundary) => format!(
                    "What changes the answer: the permissions boundary of {principal} allowing {action} on {resource} as well: a boundary caps what the role's policies grant."
                ),
                Some(PolicyType::ServiceControl) => format!(
                    "What changes the answer: the organization's service control policies allowing {action} on {resource}: an SCP caps every call from the account, whatever the role allows."
                ),
                Some(PolicyType::ResourceControl) => format!(
                    "What changes the answer: the organization's resource control policies allowing {action} on {resource}."
                ),
                Some(PolicyType::Session) => format!(
                    "What changes the answer: the session policy allowing {action} on {resource} as well."
                ),
            };
            chain.push(Cause::new(fix, "ecs-iam"));
        }
        (Access::ExplicitlyDenied, Some(denied)) => {
            chain.push(Cause::new(
                format!(
                    "IAM's answer: an explicit deny. {}",
                    denied.decision.explanation
                ),
                "ecs-iam",
            ));
            chain.push(Cause::new(
                "What changes the answer: removing or narrowing the Deny that matched. No Allow in any policy overrides an explicit Deny.",
                "ecs-iam",
            ));
        }
        (Access::NoCredentials, _) => {
            chain.push(Cause::new(
                format!("IAM's answer: none. {}", check.outcome.explanation),
                "ecs-iam",
            ));
            if ecs {
                chain.push(Cause::new(
                    "What changes the answer: a task execution role (the task definition's executionRoleArn), trusted by ecs-tasks.amazonaws.com, whose policies allow the call.",
                    "ecs-iam",
                ));
            }
        }
        (Access::UntrustedRole, _) => {
            chain.push(Cause::new(
                format!(
                    "The role cannot be assumed for it. {}",
                    check.outcome.explanation
                ),
                "ecs-iam",
            ));
            chain.push(Cause::new(
                format!(
                    "What changes the answer: a trust policy on {principal} that lets the service assume it{}, with any aws:SourceAccount or aws:SourceArn condition matching this account and task.",
                    if ecs { " (ecs-tasks.amazonaws.com for a task's roles)" } else { "" }
                ),
                "ecs-iam",
            ));
        }
        _ => chain.push(Cause::new(check.explanation.clone(), "ecs-iam")),
    }
    chain
}

/// The chain behind a call the task's own code makes (or ECS makes for it
/// while it runs) that IAM denied: who makes it, IAM's answer, and which
/// policy would have to change, as for a refused start.
pub fn denied_call(check: &CallCheck) -> Vec<Cause> {
    let mut chain = refused_call("AccessDenied", check);
    chain[0] = Cause::new(
        "The call is denied: the SDK in the container gets an access-denied error (AccessDenied or AccessDeniedException, as each service names it), and the task goes on running.",
        "ecs-iam",
    );
    chain
}

/// The chain behind a start refused before IAM was asked: a reference
/// that names nothing ECS can call for (an image or a secret's name).
pub fn bad_reference(error: &str, what: &str, chapter: &'static str) -> Vec<Cause> {
    vec![
        Cause::new(
            format!(
                "{error}: the task stopped before its containers ran, because a call made for it at start could not be made."
            ),
            "ecs-core-concepts",
        ),
        Cause::new(what, chapter),
    ]
}

/// The chain behind a service whose tasks ECS cannot launch because it
/// cannot assume a role the task definition names (its trust policy does
/// not let `ecs-tasks.amazonaws.com` assume it). Empty while the service
/// launches.
pub fn launch_refused(service: &Service) -> Vec<Cause> {
    let Some(failure) = service.launch_failure.as_deref() else {
        return Vec::new();
    };
    // ECS's words, then Dockyard's gloss in `[dockyard: ...]`.
    let (ecs, gloss) = match failure.split_once(" [dockyard: ") {
        Some((ecs, gloss)) => (ecs, gloss.trim_end_matches(']')),
        None => (failure, ""),
    };
    vec![
        Cause::new(
            format!(
                "Service {} launches no task: {ecs}",
                service.name
            ),
            "ecs-iam",
        ),
        Cause::new(
            format!(
                "ECS assumes the task role and the task execution role as it launches each task, as the service principal ecs-tasks.amazonaws.com. IAM lets it only if the role's trust policy allows that principal sts:AssumeRole; here: {gloss}"
            ),
            "ecs-iam",
        ),
        Cause::new(
            "Fix: the role's trust policy (aws iam update-assume-role-policy), with \"Principal\": {\"Service\": \"ecs-tasks.amazonaws.com\"}. Its permissions policies are not the cause: IAM refuses before any of them is read, and a permission to call sts:AssumeRole on the role changes nothing, since the trust policy decides who may assume it.",
            "ecs-iam",
        ),
    ]
}

/// The chain behind a Fargate task that reached nothing outside its VPC:
/// no public IP in a subnet whose only way out is an internet gateway.
pub fn no_way_out(error: &str, host: &str) -> Vec<Cause> {
    vec![
        Cause::new(
            format!(
                "{error}: the task stopped before its containers ran, because it could not reach {host}: the connection timed out."
            ),
            "ecs-core-concepts",
        ),
        Cause::new(
            "On Fargate, the task's own network interface makes every call at start (registry auth, secrets, the image pull, logs), in the subnet you gave it. Here that is a default VPC subnet, whose only way out is an internet gateway, and an internet gateway carries only traffic from a public IP. The task was run with assignPublicIp DISABLED (the API's default), so nothing it sends leaves the VPC.",
            "fargate",
        ),
        Cause::new(
            "Fix: run it (or create the service) again with assignPublicIp=ENABLED in awsvpcConfiguration. In a private subnet the other ways out are a route to a NAT gateway, or VPC endpoints for ecr.api, ecr.dkr and S3 (plus logs and secretsmanager if the task uses them); Dockyard models only the default VPC. Permissions are not the cause: IAM never saw a request.",
            "fargate",
        ),
    ]
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The chain behind a Pending pod: what the scheduler said, why in EKS's
/// terms (Fargate profiles decided at creation, room on nodes, a volume's
/// zone), and what changes it. Empty for a pod that is not Pending.
pub fn pending_pod(eks: &Eks, pod: &Pod) -> Vec<Cause> {
    let Some((kind, reason)) = &pod.pending else {
        return Vec::new();
    };
    // The scheduler's own words; Dockyard's gloss after them is what the
    // next steps say.
    let words = reason.split(" [dockyard:").next().unwrap_or(reason);
    let said = format!(
        "Pod {} is Pending: it is bound to no node. The scheduler's words: {words}",
        pod.name
    );
    let requests = format!("{}m CPU and {} MiB", pod.cpu, pod.memory);
    let deployment = &pod.deployment;
    // Why in EKS's terms, what changes it, and the chapter of both.
    let (why, fix, chapter): (String, String, &'static str) = match kind {
        PendingKind::NoFargateProfile => {
            let labels = eks
                .deployments
                .get(deployment)
                .map(|d| d.labels.clone())
                .unwrap_or_default();
            match eks.matching_profile(&pod.cluster, &pod.namespace, &labels) {
                Some(profile) => (
                    format!(
                        "Fargate profile {} selects it now, but EKS decides Fargate once, when a pod is created, and this pod was created before the profile: it was left for the scheduler, and the cluster has no EC2 nodes.",
                        profile.name
                    ),
                    format!(
                        "What changes it: new pods, created while the profile exists (kubectl rollout restart deployment/{deployment}, or scale to 0 and back)."
                    ),
                    "eks-node-types",
                ),
                None => (
                    format!(
                        "No Fargate profile of cluster {} selects namespace {} with labels {}: EKS left the pod for the scheduler, and the cluster has no EC2 nodes to put it on.",
                        pod.cluster,
                        pod.namespace,
                        crate::sim::eks::labels_text(&labels)
                    ),
                    format!(
                        "What changes it: a Fargate profile whose selector matches namespace {} (and only labels the pod has), then new pods; or a node group for it to run on.",
                        pod.namespace
                    ),
                    "eks-node-types",
                ),
            }
        }
        PendingKind::Capacity | PendingKind::Volume if reason.contains(VOLUME_CONFLICT) => (
            format!(
                "Its EBS volume is in one Availability Zone and attaches only to a node in that zone: every node elsewhere is a \"volume node affinity conflict\"{}.",
                if reason.contains("Insufficient") {
                    format!(", and the nodes in the volume's zone have no room for its requests ({requests})")
                } else {
                    String::new()
                }
            ),
            "What changes it: room on a node in the volume's zone (fewer or smaller pods there, or a new node in that zone), or storage that every zone reaches (EFS). A node in another zone never helps.".into(),
            "eks-data-volumes",
        ),
        PendingKind::Capacity => (
            format!(
                "No node has room for its requests ({requests}) among the nodes it may use: requests are booked against each node's allocatable CPU and memory, whatever the pods actually use."
            ),
            "What changes it: room on a node (fewer pods or smaller requests), or more nodes: the Cluster Autoscaler adds one when a pod cannot be scheduled and its node group is below its maximum size. The HPA adds pods, never nodes.".into(),
            "eks-core-concepts",
        ),
        PendingKind::Volume => (
            "Its PersistentVolumeClaim holds it: a pod whose claim is missing, not bound, or cannot be provisioned waits until the claim is bound to a volume (the scheduler's words say which).".into(),
            "What changes it: a claim that can be bound: one that exists in the pod's namespace, with a StorageClass that can provision it (or a PersistentVolume that matches it).".into(),
            "eks-data-volumes",
        ),
        PendingKind::NoFargateSize => (
            format!(
                "A Fargate profile selects it, but no Fargate size fits {requests} plus the 256 MiB EKS adds for Kubernetes' own components."
            ),
            "What changes it: smaller requests (the largest Fargate size is 16 vCPU and 120 GB), or a node group for this pod.".into(),
            "fargate",
        ),
        PendingKind::FargateUnsupported => (
            "A Fargate profile selects it, but it asks for something Fargate does not offer (the scheduler's words say what).".into(),
            "What changes it: what Fargate supports (EFS rather than EBS volumes, for example), or a profile that does not select this pod and a node group for it.".into(),
            "fargate",
        ),
        PendingKind::NodeBound => (
            "It is a DaemonSet's pod: it runs only on its own node, and that node has no room for its requests.".into(),
            "What changes it: room on that node (fewer or smaller pods there); a new node gets its own DaemonSet pod and does not help this one.".into(),
            "eks-core-concepts",
        ),
    };
    vec![
        Cause::new(said, "eks-core-concepts"),
        Cause::new(why, chapter),
        Cause::new(fix, chapter),
    ]
}

/// The chain behind a service that cannot place some of its tasks: ECS's
/// answer, what placement requires, and what changes it. Empty when every
/// task was placed.
pub fn unplaced_service(service: &Service) -> Vec<Cause> {
    let Some(reason) = service
        .unplaced_reason
        .as_deref()
        .filter(|_| service.unplaced > 0)
    else {
        return Vec::new();
    };
    let said = format!(
        "Service {} is unable to place {} of its {} tasks: ECS found no place that meets all of the task's requirements ({reason}).",
        service.name,
        service.unplaced,
        service.desired
    );
    let fargate = matches!(service.capacity, Capacity::Fargate)
        || reason.starts_with("every Availability Zone");
    let (why, fix, chapter) = if fargate {
        (
            "Fargate places each task in an Availability Zone of its subnets, and none of them is up.".to_string(),
            "What changes it: a zone coming back, or subnets in another zone.".to_string(),
            "fargate",
        )
    } else if reason.starts_with("no container instance is registered") {
        (
            format!(
                "On EC2, tasks run only on container instances registered with cluster {}: instances whose ECS agent joined it, with the container instance role (instance profile). The cluster has none.",
                service.cluster
            ),
            "What changes it: instances that register with the cluster, or a capacity provider whose Auto Scaling group ECS scales out for waiting tasks.".to_string(),
            "ecs-clusters",
        )
    } else {
        let constraints = if service.constraints.is_empty() {
            String::new()
        } else {
            " Its placement constraints bind too: an instance that does not satisfy them is never chosen, whatever room it has.".to_string()
        };
        (
            format!(
                "A task is placed only on an instance with room for its whole size: its CPU units and memory are booked against what the instance registered (less than it advertises) and held while the task runs, whatever it uses.{constraints}"
            ),
            "What changes it: room, from more or larger instances or fewer or smaller tasks; or a capacity provider, whose Auto Scaling group ECS scales out for tasks waiting on it. A service launched on EC2 capacity never adds instances by itself.".to_string(),
            "ecs-clusters",
        )
    };
    vec![
        Cause::new(said, "ecs-core-concepts"),
        Cause::new(why, chapter),
        Cause::new(fix, chapter),
    ]
}
