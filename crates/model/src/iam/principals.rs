//! Which principal makes each AWS call for a container (rules §4.2, §4.3,
//! §10 points 1 to 5). This is the correction at the heart of the course:
//! on Fargate there is no instance profile, and the task execution role
//! pulls images and ships logs.

use serde::Serialize;

/// Where the container runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Platform {
    EcsOnFargate,
    EcsOnEc2,
    EksOnEc2Nodes,
    EksOnFargate,
}

impl Platform {
    pub const ALL: [Platform; 4] = [
        Platform::EcsOnFargate,
        Platform::EcsOnEc2,
        Platform::EksOnEc2Nodes,
        Platform::EksOnFargate,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Platform::EcsOnFargate => "ECS on Fargate",
            Platform::EcsOnEc2 => "ECS on EC2",
            Platform::EksOnEc2Nodes => "EKS on EC2 nodes",
            Platform::EksOnFargate => "EKS on Fargate",
        }
    }
}

/// A call made on a container's behalf, or by its own code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Call {
    PullPrivateEcrImage,
    ShipLogs,
    FetchSecrets,
    PrivateRegistryAuth,
    ApplicationSdkCall,
    RegisterWithControlPlane,
}

impl Call {
    pub const ALL: [Call; 6] = [
        Call::PullPrivateEcrImage,
        Call::ShipLogs,
        Call::FetchSecrets,
        Call::PrivateRegistryAuth,
        Call::ApplicationSdkCall,
        Call::RegisterWithControlPlane,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Call::PullPrivateEcrImage => "Pull a private ECR image",
            Call::ShipLogs => "Ship logs (awslogs)",
            Call::FetchSecrets => "Fetch secrets at start",
            Call::PrivateRegistryAuth => "Log in to a private registry",
            Call::ApplicationSdkCall => "The application's own AWS calls",
            Call::RegisterWithControlPlane => "Register with the control plane",
        }
    }
}

/// The roles the learner has set up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RoleSetup {
    /// ECS: `taskRoleArn` is set.
    pub task_role: bool,
    /// ECS: `executionRoleArn` is set.
    pub execution_role: bool,
    /// EKS: the pod's service account is mapped to an IAM role (IRSA).
    pub service_account_role: bool,
    /// EC2: containers cannot reach the instance metadata service
    /// (`ECS_AWSVPC_BLOCK_IMDS=true`, an iptables rule, or a hop limit).
    pub imds_blocked: bool,
}

impl RoleSetup {
    /// The usual production set-up: every role present, IMDS open.
    pub const COMPLETE: RoleSetup = RoleSetup {
        task_role: true,
        execution_role: true,
        service_account_role: true,
        imds_blocked: false,
    };
}

/// Who makes the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Principal {
    TaskRole,
    TaskExecutionRole,
    /// The EC2 instance profile of an ECS container instance (`ecsInstanceRole`).
    ContainerInstanceRole,
    /// The EKS node IAM role, used by the kubelet.
    NodeRole,
    /// The EKS Fargate pod execution role.
    PodExecutionRole,
    /// An IAM role for the pod's Kubernetes service account (IRSA).
    ServiceAccountRole,
    /// No principal has credentials for it: the call fails.
    Nobody,
    /// IAM is not involved on this platform (AWS operates it, or Kubernetes
    /// handles it without IAM).
    NotApplicable,
}

impl Principal {
    pub fn label(self) -> &'static str {
        match self {
            Principal::TaskRole => "task role",
            Principal::TaskExecutionRole => "task execution role",
            Principal::ContainerInstanceRole => "container instance role (instance profile)",
            Principal::NodeRole => "node IAM role",
            Principal::PodExecutionRole => "pod execution role",
            Principal::ServiceAccountRole => "service account role (IRSA)",
            Principal::Nobody => "nobody: the call fails",
            Principal::NotApplicable => "not an IAM call here",
        }
    }
}

/// The answer to "who makes this call?", with the reason a learner reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub principal: Principal,
    pub why: &'static str,
    /// Set where AWS does not document the behaviour precisely.
    pub uncertainty: Option<&'static str>,
}

const fn answer(principal: Principal, why: &'static str) -> Answer {
    Answer {
        principal,
        why,
        uncertainty: None,
    }
}

const EC2_EXECUTION_ROLE_PULL: &str = "AWS does not document exactly when the control plane tells the agent to pull with the execution role; Dockyard models it as: execution role present, execution role used.";

/// Who makes `call` for a container on `platform` with the roles in `setup`.
pub fn who_calls(platform: Platform, call: Call, setup: RoleSetup) -> Answer {
    use Call::*;
    use Platform::*;
    use Principal::*;
    match (platform, call) {
        (EcsOnFargate, PullPrivateEcrImage | ShipLogs | FetchSecrets | PrivateRegistryAuth) => {
            if setup.execution_role {
                answer(TaskExecutionRole, "On Fargate the task execution role does this work; there is no instance profile.")
            } else {
                answer(Nobody, "Fargate has no instance profile to fall back to: without a task execution role this fails when the task starts.")
            }
        }
        (EcsOnFargate, ApplicationSdkCall) => {
            if setup.task_role {
                answer(TaskRole, "The SDK finds the task role's credentials at the container credentials endpoint.")
            } else {
                answer(Nobody, "Without a task role a Fargate container has no AWS credentials: there is no instance profile behind it.")
            }
        }
        (EcsOnFargate, RegisterWithControlPlane) => {
            answer(NotApplicable, "AWS runs the Fargate capacity; nothing registers in your account.")
        }
        (EcsOnEc2, PullPrivateEcrImage) => {
            if setup.execution_role {
                Answer {
                    principal: TaskExecutionRole,
                    why: "The task has an execution role, so the ECS agent pulls with it instead of the instance profile.",
                    uncertainty: Some(EC2_EXECUTION_ROLE_PULL),
                }
            } else {
                answer(ContainerInstanceRole, "Without an execution role the ECS agent pulls with the instance profile's credentials.")
            }
        }
        (EcsOnEc2, ShipLogs) => {
            if setup.execution_role {
                answer(TaskExecutionRole, "The task has an execution role, so awslogs uses it (ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE, on by default in current ECS AMIs).")
            } else {
                answer(ContainerInstanceRole, "Without an execution role the Docker awslogs driver ships logs with the instance profile.")
            }
        }
        (EcsOnEc2, FetchSecrets | PrivateRegistryAuth) => {
            if setup.execution_role {
                answer(TaskExecutionRole, "Secrets and registry credentials are always fetched with the task execution role, on EC2 too.")
            } else {
                answer(Nobody, "The instance profile is never used for secrets or registry credentials: without an execution role the task fails to start.")
            }
        }
        (EcsOnEc2, ApplicationSdkCall) => {
            if setup.task_role {
                answer(TaskRole, "The agent gives each container its task role's credentials, which the SDK finds before the instance metadata service.")
            } else if setup.imds_blocked {
                answer(Nobody, "No task role, and the instance metadata service is blocked: the SDK finds no credentials.")
            } else {
                answer(ContainerInstanceRole, "No task role: the SDK falls back to the instance metadata service and uses the instance profile, with every permission the instance has.")
            }
        }
        (EcsOnEc2, RegisterWithControlPlane) => {
            answer(ContainerInstanceRole, "The ECS agent registers the instance and polls for work with the instance profile.")
        }
        (EksOnEc2Nodes, PullPrivateEcrImage) => {
            answer(NodeRole, "The kubelet pulls images with the node IAM role (AmazonEC2ContainerRegistryPullOnly).")
        }
        (EksOnEc2Nodes | EksOnFargate, FetchSecrets | PrivateRegistryAuth) => {
            answer(NotApplicable, "Kubernetes Secrets and imagePullSecrets supply these; no IAM role is involved.")
        }
        (EksOnEc2Nodes, ShipLogs) => {
            answer(NotApplicable, "Logs are shipped by an agent you run on the nodes (for example Fluent Bit), with its own identity.")
        }
        (EksOnEc2Nodes, ApplicationSdkCall) => {
            if setup.service_account_role {
                answer(ServiceAccountRole, "The pod's service account is mapped to an IAM role, and the SDK uses it.")
            } else if setup.imds_blocked {
                answer(Nobody, "No role for the service account, and the instance metadata service is blocked: no credentials.")
            } else {
                answer(NodeRole, "No role for the service account: the SDK falls back to the instance metadata service and uses the node role.")
            }
        }
        (EksOnEc2Nodes, RegisterWithControlPlane) => {
            answer(NodeRole, "The kubelet joins the cluster with the node IAM role, which must be mapped in aws-auth or an access entry.")
        }
        (EksOnFargate, PullPrivateEcrImage | RegisterWithControlPlane) => {
            answer(PodExecutionRole, "Fargate registers the pod's micro-VM as a node and pulls its images with the profile's pod execution role.")
        }
        // fargate-logging.html: "Attach the IAM policy to the pod execution
        // role specified for your Fargate profile."
        (EksOnFargate, ShipLogs) => answer(
            PodExecutionRole,
            "Fargate's built-in log router (Fluent Bit) sends logs with the pod execution role of the pod's Fargate profile; attach the logging policy to that role.",
        ),
        (EksOnFargate, ApplicationSdkCall) => {
            if setup.service_account_role {
                answer(ServiceAccountRole, "The pod's service account is mapped to an IAM role, and the SDK uses it.")
            } else {
                answer(Nobody, "Fargate pods cannot reach the instance metadata service: without a service account role there are no credentials.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(task_role: bool, execution_role: bool) -> RoleSetup {
        RoleSetup {
            task_role,
            execution_role,
            ..RoleSetup::default()
        }
    }

    #[test]
    fn eks_fargate_logs_are_shipped_by_the_pod_execution_role_as_documented() {
        let shipped = who_calls(Platform::EksOnFargate, Call::ShipLogs, RoleSetup::default());
        assert_eq!(shipped.principal, Principal::PodExecutionRole);
        assert_eq!(shipped.uncertainty, None, "fargate-logging.html decides it");
    }

    #[test]
    fn on_fargate_the_execution_role_pulls_and_ships_logs() {
        for call in [Call::PullPrivateEcrImage, Call::ShipLogs] {
            assert_eq!(
                who_calls(Platform::EcsOnFargate, call, setup(true, true)).principal,
                Principal::TaskExecutionRole
            );
            assert_eq!(
                who_calls(Platform::EcsOnFargate, call, setup(true, false)).principal,
                Principal::Nobody
            );
        }
    }

    #[test]
    fn no_fargate_answer_ever_names_an_instance_profile() {
        for call in Call::ALL {
            for (task_role, execution_role) in
                [(false, false), (true, false), (false, true), (true, true)]
            {
                let principal = who_calls(
                    Platform::EcsOnFargate,
                    call,
                    setup(task_role, execution_role),
                )
                .principal;
                assert_ne!(principal, Principal::ContainerInstanceRole, "{call:?}");
            }
        }
    }

    #[test]
    fn on_ec2_the_instance_profile_pulls_only_without_an_execution_role() {
        assert_eq!(
            who_calls(
                Platform::EcsOnEc2,
                Call::PullPrivateEcrImage,
                setup(false, false)
            )
            .principal,
            Principal::ContainerInstanceRole
        );
        let with_role = who_calls(
            Platform::EcsOnEc2,
            Call::PullPrivateEcrImage,
            setup(false, true),
        );
        assert_eq!(with_role.principal, Principal::TaskExecutionRole);
        assert!(
            with_role.uncertainty.is_some(),
            "the reference flags this rule as undocumented"
        );
    }

    #[test]
    fn secrets_always_use_the_execution_role_even_on_ec2() {
        assert_eq!(
            who_calls(Platform::EcsOnEc2, Call::FetchSecrets, setup(true, true)).principal,
            Principal::TaskExecutionRole
        );
        assert_eq!(
            who_calls(Platform::EcsOnEc2, Call::FetchSecrets, setup(true, false)).principal,
            Principal::Nobody
        );
    }

    #[test]
    fn without_a_task_role_ec2_apps_fall_back_to_the_instance_profile_unless_imds_is_blocked() {
        let open = who_calls(
            Platform::EcsOnEc2,
            Call::ApplicationSdkCall,
            setup(false, true),
        );
        assert_eq!(open.principal, Principal::ContainerInstanceRole);
        let blocked = RoleSetup {
            imds_blocked: true,
            ..setup(false, true)
        };
        assert_eq!(
            who_calls(Platform::EcsOnEc2, Call::ApplicationSdkCall, blocked).principal,
            Principal::Nobody
        );
        assert_eq!(
            who_calls(
                Platform::EcsOnEc2,
                Call::ApplicationSdkCall,
                setup(true, true)
            )
            .principal,
            Principal::TaskRole
        );
    }

    #[test]
    fn eks_fargate_pods_have_no_metadata_service_to_fall_back_to() {
        let none = who_calls(
            Platform::EksOnFargate,
            Call::ApplicationSdkCall,
            RoleSetup::default(),
        );
        assert_eq!(none.principal, Principal::Nobody);
        let nodes = who_calls(
            Platform::EksOnEc2Nodes,
            Call::ApplicationSdkCall,
            RoleSetup::default(),
        );
        assert_eq!(nodes.principal, Principal::NodeRole);
    }

    #[test]
    fn every_platform_and_call_has_an_explanation() {
        for platform in Platform::ALL {
            for call in Call::ALL {
                let answer = who_calls(platform, call, RoleSetup::COMPLETE);
                assert!(
                    answer.why.ends_with('.'),
                    "{platform:?} {call:?}: {}",
                    answer.why
                );
            }
        }
    }
}
