//! The catalogue of refusals: every code the simulation answers a command
//! with when it changes nothing, with why AWS (or, for Dockyard's own
//! bounds, Dockyard) refuses it and the chapter of the notes that teaches
//! it. It is to a [`Rejection`](super::Rejection) what the validator's
//! `RULES` are to a finding; `dockyard explain CODE` and the app's findings
//! pages read both.

use serde::Serialize;

/// Whose rule a refusal enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// AWS (or Kubernetes, for EKS objects) refuses the same request.
    Aws,
    /// A bound or a what-if of Dockyard's own, not an AWS rule: said so
    /// plainly so that no learner takes it for AWS behaviour.
    Dockyard,
}

impl Origin {
    /// Who refuses, as a reader would say it.
    pub fn label(self) -> &'static str {
        match self {
            Origin::Aws => "AWS",
            Origin::Dockyard => "Dockyard",
        }
    }
}

/// One refusal of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// Stable: a rejection serialises it, and links and lessons refer to it.
    pub code: &'static str,
    pub origin: Origin,
    pub title: &'static str,
    /// Why the command is refused, in plain words.
    pub why: &'static str,
    /// The slug of the notes chapter that teaches it.
    pub chapter: &'static str,
}

macro_rules! refusals {
    ($($code:literal, $origin:ident, $chapter:literal, $title:literal, $why:literal;)*) => {
        /// Every refusal, grouped by what the command is about.
        pub const REFUSALS: &[Refusal] = &[
            $(Refusal { code: $code, origin: Origin::$origin, chapter: $chapter, title: $title, why: $why },)*
        ];
    };
}

refusals! {
    // Clusters, Availability Zones and container instances.
    "cluster-exists", Dockyard, "ecs-clusters", "A cluster with this name already exists",
        "A cluster name is unique in an account and Region: ARNs and every later call name the cluster. AWS's CreateCluster answers a name that is taken by returning the existing cluster; Dockyard refuses instead, so that a scenario creating the same cluster twice shows its mistake.";
    "no-cluster", Aws, "ecs-clusters", "No cluster with this name",
        "Services, tasks and container instances live in a cluster, and a cluster lives in one Region. ECS answers a call naming a cluster it does not have (or one in another Region) with ClusterNotFoundException.";
    "no-az", Aws, "ecs-clusters", "Not an Availability Zone of this Region",
        "Capacity runs in the Availability Zones of the cluster's Region, and an instance or subnet is in exactly one of them. EC2 refuses a zone the Region does not have.";
    "instance-type", Dockyard, "ecs-clusters", "An instance type Dockyard does not model",
        "Dockyard models a small catalogue of EC2 instance types, each with its CPU, memory, network interfaces and price, because placement and the bill depend on them. EC2 has many more types; this refusal is Dockyard's, not AWS's.";
    "instance-count", Dockyard, "ecs-clusters", "Too many instances in one command",
        "Dockyard launches at most 500 instances per command so that a scenario, and a share link, stays something a browser can play. This bound is Dockyard's own, not AWS's: EC2 limits running instances by a vCPU quota per account, and ECS takes up to 5,000 container instances per cluster.";
    "no-instance", Aws, "ecs-clusters", "No instance with this ID",
        "ECS can drain or deregister only a container instance registered in the cluster, and EC2 can terminate only an instance that exists; both refuse an unknown ID.";
    "not-spot", Dockyard, "ecs-clusters", "Only a Spot instance can be interrupted",
        "EC2 reclaims Spot capacity with a two-minute notice; On-Demand instances are never interrupted. Interrupting an instance is a what-if that Dockyard offers to show the notice and the draining, not an AWS API, so it refuses an On-Demand instance.";

    // Capacity providers and strategies.
    "group-size", Dockyard, "ecs-clusters", "Auto Scaling group size out of bounds",
        "An Auto Scaling group needs minSize no larger than maxSize. Dockyard also caps maxSize at 1,000 instances so that a scenario stays playable in a browser; that ceiling is Dockyard's bound, not AWS's.";
    "asg-size", Aws, "ecs-clusters", "minSize larger than maxSize",
        "EC2 Auto Scaling keeps a group's size between minSize and maxSize, so it refuses a minimum above the maximum.";
    "target-capacity", Aws, "ecs-clusters", "targetCapacity out of range",
        "Managed scaling tracks the metric CapacityProviderReservation against targetCapacity, a percentage from 1 to 100 (100 by default). At 100 every instance runs at least one task; below 100 keeps spare instances for faster starts.";
    "provider-exists", Aws, "ecs-clusters", "A capacity provider with this name already exists",
        "Capacity provider names are unique, and FARGATE and FARGATE_SPOT belong to the built-in Fargate providers (AWS reserves names beginning with aws, ecs or fargate).";
    "strategy", Aws, "ecs-clusters", "A strategy with no providers, or more than 20",
        "A capacity provider strategy lists the providers that tasks are split between: at least one, and at most 20.";
    "strategy-base", Aws, "ecs-clusters", "More than one provider sets a base",
        "The base is how many tasks go to one provider before the weights apply. Only one provider in a strategy may set a base, or ECS could not tell which to fill first.";
    "strategy-weight", Aws, "ecs-clusters", "No provider has a weight above 0",
        "After the base, tasks split in the ratio of the weights, and a provider with weight 0 gets none. At least one weight must be above 0, or the tasks beyond the base would have nowhere to go.";
    "strategy-mix", Aws, "ecs-clusters", "A strategy mixes Fargate and Auto Scaling group providers",
        "A strategy contains either Auto Scaling group providers or the Fargate providers, never both: the two run tasks on different kinds of capacity with different task definition requirements.";
    "no-provider", Aws, "ecs-clusters", "The cluster has no capacity provider with this name",
        "A strategy can use only providers associated with the cluster. FARGATE and FARGATE_SPOT exist already; an Auto Scaling group provider belongs to the cluster it was attached to.";

    // Task definitions and IAM roles.
    "invalid-task-definition", Aws, "ecs-core-concepts", "The task definition has an error",
        "RegisterTaskDefinition refuses a definition that breaks one of ECS's rules. The message names the first error and its finding code; `dockyard explain` on that code says why AWS has the rule.";
    "role-not-assumable", Aws, "ecs-iam", "ECS cannot assume the task's role",
        "ECS assumes the task role and the task execution role as it launches a task. A role whose trust policy does not allow ecs-tasks.amazonaws.com, or whose conditions (aws:SourceAccount, aws:SourceArn) do not hold for this account's task, cannot be used: ECS refuses to launch the task.";
    "task-definition", Aws, "ecs-core-concepts", "No such task definition, or a new revision that is not valid",
        "A task definition is named as family (its latest ACTIVE revision) or family:revision. ECS refuses one that is not registered, starts no new task or service from a deregistered (INACTIVE) revision, though the services already using it keep running it, and refuses to register a new revision (for example with other roles) that breaks its rules.";
    "network-configuration", Aws, "ecs-launch-types", "The network configuration does not fit the task definition's network mode",
        "With network mode awsvpc (the only mode on Fargate) each task gets its own elastic network interface in a subnet the service or RunTask names, so ECS requires a network configuration with at least one subnet; with bridge or host the task uses its instance's network, and ECS refuses a network configuration.";
    "subnet", Aws, "ecs-launch-types", "No such subnet or security group",
        "A task's network interface is created in one of the subnets named, with the security groups named; ECS asks EC2 for them and refuses ids that do not exist in the account and Region. A new account has a default VPC with one default subnet per Availability Zone and a default security group (aws ec2 describe-subnets).";
    "incompatible-launch-type", Aws, "ecs-launch-types", "The task definition does not list this launch type",
        "requiresCompatibilities says which launch types ECS validated a definition for, and a mismatch returns a client exception: a task or service on Fargate needs FARGATE listed. Dockyard likewise refuses EC2 capacity for a definition that lists only FARGATE.";
    "managed-policy", Dockyard, "ecs-iam", "A managed policy Dockyard does not know",
        "Dockyard carries a few AWS managed policies (those the course uses) with their actions; it refuses any other name. IAM too refuses to attach a policy ARN that does not exist (NoSuchEntity).";
    "role-name", Aws, "ecs-iam", "Not a name IAM gives a role",
        "A role name is 1 to 64 characters, each a letter, a digit or one of _+=,.@- (no spaces, slashes or angle brackets): it becomes the last part of the role's ARN, arn:aws:iam::ACCOUNT:role/NAME, which policies and task definitions name. IAM refuses any other name with a ValidationError before it creates anything.";
    "no-role", Aws, "ecs-iam", "No role with this name",
        "IAM answers a call naming a role the account does not have with NoSuchEntity: a role is created (with its trust policy) before policies are put on or attached to it.";
    "no-policy", Aws, "ecs-iam", "No managed policy with this ARN",
        "IAM answers a policy ARN that is neither an AWS managed policy nor one of the account's own (CreatePolicy) with NoSuchEntity.";
    "policy-exists", Aws, "ecs-iam", "A managed policy with this name already exists",
        "Customer managed policy names are unique in an account: CreatePolicy with a name in use fails with EntityAlreadyExists.";
    "no-organization", Aws, "ecs-iam", "The account is in no organization",
        "Organizations answers a policy call from an account that is in no organization with AWSOrganizationsNotInUseException: service control policies exist only in an organization, created and attached by its management account.";
    "in-organization", Aws, "ecs-iam", "The account is in an organization already",
        "An account is a member of one organization at a time (AlreadyInOrganizationException). Dockyard's account is always a member, never the management account, because SCPs do not apply to the management account.";
    "policy-attached", Aws, "ecs-iam", "The policy is attached to the account already",
        "Organizations refuses to attach a policy to a target it is attached to already (DuplicatePolicyAttachmentException).";
    "policy-not-attached", Aws, "ecs-iam", "The policy is not attached to the account",
        "Organizations refuses to detach a policy from a target it is not attached to (PolicyNotAttachedException).";
    "last-policy", Aws, "ecs-iam", "The last SCP of an account cannot be detached",
        "While service control policies are enabled, every root, OU and account keeps at least one attached, so Organizations refuses to detach the last (ConstraintViolationException); attach another first, such as FullAWSAccess.";
    "resource-policy", Aws, "ecs-iam", "A resource policy that cannot go on this resource",
        "A resource-based policy goes on an ECR repository, an S3 bucket, a Secrets Manager secret or a KMS key, named by its ARN, and must name a Principal in every statement; the service refuses a malformed one (InvalidParameterException, MalformedPolicy).";
    "policy-name", Dockyard, "ecs-iam", "An inline policy named as an attached managed policy",
        "Dockyard keeps a role's inline and managed policies in one list by name and refuses an inline policy that takes an attached managed policy's name; IAM keeps the two apart and would accept it. Name the inline policy differently.";
    "policy-size", Aws, "ecs-iam", "A policy past IAM's size quota",
        "IAM counts a policy's characters, white space not counted, and refuses with LimitExceeded: a role's inline policies together at most 10,240, a customer managed policy at most 6,144, a trust policy at most 2,048 (the default; Service Quotas can raise it to 4,096). A role that needs more carries customer managed policies, up to 10 attached by default. Dockyard counts the compact JSON it keeps, which may differ from IAM's count by a few characters.";
    "policy", Aws, "ecs-iam", "An inline policy that is not a valid policy document",
        "IAM refuses a malformed policy document (MalformedPolicyDocument): a policy is a list of statements, each with an Effect, actions and resources.";

    // Services, deployments and Service Auto Scaling.
    "service-exists", Aws, "ecs-core-concepts", "A service with this name already exists",
        "Service names are unique within a cluster, and ECS refuses to create a second active service with the same name.";
    "no-service", Aws, "ecs-core-concepts", "No service with this name",
        "ECS answers a call naming a service the cluster does not have with ServiceNotFoundException.";
    "task-count", Aws, "ecs-core-concepts", "More tasks than a service may run",
        "ECS's service quotas cap the tasks one service runs at 5,000 by default. Dockyard refuses a desiredCount, or an auto scaling maxCapacity, above that quota rather than model a quota increase.";
    "fargate-placement", Aws, "ecs-clusters", "Placement strategies or constraints on Fargate",
        "Placement strategies and constraints choose among EC2 container instances. Fargate has no instances to choose from: it places each task itself and spreads a service's tasks across Availability Zones.";
    "placement-strategy", Aws, "ecs-clusters", "More than 5 placement strategies",
        "A service has at most 5 placement strategy rules; ECS applies them in order to rank the instances that fit.";
    "deployment-configuration", Aws, "ecs-core-concepts", "A rolling deployment that cannot make progress",
        "minimumHealthyPercent (0 to 100) is the share of desiredCount that must stay RUNNING and healthy during a deployment, and maximumPercent (200 by default) caps RUNNING plus PENDING tasks. With maximumPercent below 100, or a minimum not below the maximum, ECS could neither start a new task nor stop an old one; Dockyard refuses such settings.";
    "scaling", Aws, "ecs-core-concepts", "Service Auto Scaling settings that do not make sense",
        "Application Auto Scaling keeps the desired count between minCapacity and maxCapacity, so the minimum may not exceed the maximum; it needs at least one target tracking or step scaling policy, a target tracking target above 0, and step adjustments in a step policy.";
    "deployment-in-progress", Dockyard, "ecs-core-concepts", "The service is already deploying",
        "ECS would accept the update, start a new primary deployment and wind the current one down. Dockyard runs one deployment at a time so that each one can be watched; this refusal is Dockyard's, not AWS's.";
    "no-spot-tasks", Dockyard, "fargate", "The service has no running Fargate Spot tasks",
        "AWS reclaims Fargate Spot tasks with a two-minute warning; On-Demand Fargate tasks are never interrupted. Interrupting Spot capacity is a what-if that Dockyard offers, not an AWS API, so it needs a running FARGATE_SPOT task to interrupt.";

    // Tasks, their containers and their files.
    "run-task-count", Aws, "ecs-core-concepts", "RunTask count out of range",
        "One RunTask call starts 1 to 10 tasks; for more, call it again or let a service keep the count.";
    "no-task", Aws, "ecs-core-concepts", "No task with this ID",
        "ECS refuses a call naming a task it does not know. A stopped task is never restarted: a service replaces it with a new task with a new ID.";
    "task-stopping", Dockyard, "ecs-core-concepts", "The task is already stopping or stopped",
        "A task moves one way, from PROVISIONING to STOPPED, and is never restarted, so a task already on its way to STOPPED has nothing left to stop. Dockyard refuses the second StopTask so that it shows it changed nothing; this refusal is Dockyard's.";
    "task-not-running", Aws, "ecs-core-concepts", "The task is not RUNNING",
        "Its containers run only while the task is RUNNING: before that they are still being pulled and started, and after it they have stopped for good.";
    "no-container", Aws, "ecs-core-concepts", "The task has no container with this name",
        "Containers are named in the task definition, and calls that act on one container name it.";
    "no-volume", Aws, "ecs-data-volumes", "The task has no volume with this name",
        "A container reaches only the volumes its task definition declares, by name; a mount point naming any other volume is refused.";
    "volume", Aws, "ecs-data-volumes", "The volume cannot be reached",
        "Where a file goes depends on the volume's type and the task's capacity. Fargate mounts no host.sourcePath or Docker volumes; EFS and FSx need a file system ID; task storage is gone once the task stops; and data on a lost instance or Availability Zone cannot be reached.";
    "write", Aws, "ecs-data-volumes", "The file cannot be written there",
        "The storage behind the location is gone: the task has stopped (task storage goes with it), the instance holding it was lost, or its Availability Zone is out. Only EFS keeps data apart from both tasks and instances.";

    // EKS.
    "eks-cluster-exists", Aws, "eks-core-concepts", "An EKS cluster with this name already exists",
        "EKS cluster names are unique in an account and Region; CreateCluster refuses a name that is taken (ResourceInUseException).";
    // The network resources that bill by the hour (Elastic IPs, NAT gateways, load balancers).
    "no-subnet", Aws, "fargate", "No subnet with this ID",
        "Tasks, NAT gateways and load balancers are placed in subnets, and a subnet is in one Availability Zone of one VPC. EC2 answers an ID it does not have with InvalidSubnetID.NotFound. Dockyard's account has its default VPC, with one default subnet per zone (aws ec2 describe-subnets lists them).";
    "no-elastic-ip", Aws, "fargate", "No Elastic IP with this allocation ID",
        "An Elastic IP address is named by its allocation ID (eipalloc-...), which AllocateAddress returns. EC2 answers an ID it does not have, or one already released, with InvalidAllocationID.NotFound.";
    "elastic-ip-in-use", Aws, "fargate", "The Elastic IP is in use by a NAT gateway",
        "An Elastic IP serves one NAT gateway at a time, and stays with it until the gateway is deleted: delete the gateway, then release the address. AWS accepts a CreateNatGateway with an address already in use and the new gateway fails (\"Elastic IP address eipalloc-... is already associated\"); Dockyard refuses at once with those words. What ReleaseAddress answers for an address a NAT gateway holds is not documented: users report AuthFailure, which Dockyard gives.";
    "no-nat-gateway", Aws, "fargate", "No NAT gateway with this ID",
        "A NAT gateway is named by its ID (nat-...). One that was deleted stays visible as deleted for a while; deleting it again is refused here (what AWS answers then is not documented). EC2's error is NatGatewayNotFound, \"NAT gateway nat-... was not found\".";
    "load-balancer-zones", Aws, "summary", "Too few zones for this load balancer",
        "An Application Load Balancer needs subnets in at least two Availability Zones, so that it keeps serving when a zone fails; a Network Load Balancer needs at least one. Elastic Load Balancing answers with a ValidationError.";
    "load-balancer-name", Aws, "summary", "Not a valid load balancer name",
        "A load balancer's name is part of its DNS name: up to 32 letters, digits and hyphens, not beginning or ending with a hyphen, and not beginning with internal- (the prefix of internal load balancers' DNS names).";
    "load-balancer-exists", Aws, "summary", "A load balancer with this name exists, with other settings",
        "CreateLoadBalancer is idempotent: the same name with the same settings returns the load balancer that exists. The same name with other settings (type or subnets) is refused with DuplicateLoadBalancerName.";
    "no-eks-cluster", Aws, "eks-core-concepts", "No EKS cluster with this name",
        "Node groups, Fargate profiles and workloads belong to a cluster; EKS answers a name it does not have with ResourceNotFoundException.";
    "scaling-config", Aws, "eks-node-types", "A node group scalingConfig that does not hold",
        "A node group keeps minSize ≤ desiredSize ≤ maxSize, and maxSize is at least 1. Dockyard also caps maxSize at 1,000 nodes so that a scenario stays playable; that ceiling is Dockyard's bound, not AWS's.";
    "node-role-mapped", Dockyard, "eks-node-types", "nodeRoleMapped: false on a managed node group",
        "For managed node groups EKS authorises the node role itself (an access entry, or the aws-auth mapping). Only self-managed nodes can have an unmapped role, so Dockyard's nodeRoleMapped switch applies to them alone.";
    "nodegroup-exists", Aws, "eks-node-types", "A node group with this name already exists",
        "Node group names are unique within a cluster; CreateNodegroup refuses a name that is taken (ResourceInUseException).";
    "fargate-profile-exists", Aws, "eks-node-types", "A Fargate profile with this name already exists",
        "Fargate profiles are immutable: to change one, create a new profile with another name, then delete the old one.";
    "deployment-exists", Aws, "eks-core-concepts", "A Deployment with this name already exists",
        "Kubernetes object names are unique within a namespace; creating a second Deployment with the same name fails with AlreadyExists.";
    "no-deployment", Aws, "eks-core-concepts", "No Deployment with this name",
        "kubectl scale answers a Deployment that does not exist with NotFound.";
    "storage-exists", Aws, "eks-data-volumes", "A StorageClass, PersistentVolume or claim with this name already exists",
        "StorageClasses and PersistentVolumes are named per cluster, PersistentVolumeClaims per namespace; creating one whose name is taken fails with AlreadyExists.";
    "no-storage", Aws, "eks-data-volumes", "No StorageClass, PersistentVolume or claim with this name",
        "kubectl delete answers a storage object that does not exist with NotFound.";
    "storage-in-use", Dockyard, "eks-data-volumes", "A claim that pods use",
        "Kubernetes protects a PersistentVolumeClaim in use by a pod: deleting it leaves it Terminating until no pod uses it. Dockyard refuses the deletion instead, and says to delete the deployment first.";
    "namespace-exists", Aws, "eks-core-concepts", "A namespace with this name already exists",
        "Namespace names are unique within a cluster; creating one that exists fails with AlreadyExists (kubectl apply leaves it as it is).";
    "pdb", Aws, "eks-core-concepts", "A PodDisruptionBudget the API server refuses",
        "A budget sets minAvailable or maxUnavailable, not both: a number of pods, or a percentage (0-100%) of the pods its controllers want.";
    "no-pdb", Aws, "eks-core-concepts", "No PodDisruptionBudget with this name",
        "The API server deletes only a PodDisruptionBudget that exists in the namespace (NotFound otherwise).";
    "no-pod", Aws, "eks-core-concepts", "No pod with this name",
        "The API server deletes only a pod that exists in the namespace (NotFound otherwise). A pod a Deployment owns is replaced by its ReplicaSet as soon as it is deleted.";
    "no-node", Aws, "eks-core-concepts", "No node with this name",
        "Only a node that exists can be terminated; EC2 refuses an unknown instance.";
    "hpa", Aws, "eks-core-concepts", "A Horizontal Pod Autoscaler that could do nothing",
        "The HPA measures CPU utilisation as a percentage of the containers' CPU requests, so without a request it cannot scale on CPU. It also needs minReplicas of at least 1, no larger than maxReplicas, and a target above 0.";
    "fargate-selectors", Aws, "eks-node-types", "Too many selectors on a Fargate profile",
        "A Fargate profile has one to five selectors (a namespace, and labels that must all match); a pod runs on Fargate when any selector of a profile matches it, the first matching profile by name.";
    "access-entry-exists", Aws, "eks-node-types", "An access entry for this principal already exists",
        "A cluster has one access entry per IAM principal; CreateAccessEntry refuses a principal that has one (ResourceInUseException). Associate more access policies with it instead.";
    "no-access-entry", Aws, "eks-node-types", "No access entry for this principal",
        "Access policies are associated with an access entry: create the entry for the principal first (CreateAccessEntry).";
    "access-entry-type", Aws, "eks-node-types", "An access entry type or scope that does not hold",
        "An access entry is STANDARD, EC2_LINUX, EC2_WINDOWS or FARGATE_LINUX. Only STANDARD entries take access policies: EC2 and Fargate entries give the node or pod its own Kubernetes identity (system:nodes). A namespace scope names its namespaces.";
    "eks-cluster-in-use", Aws, "eks-core-concepts", "The cluster still has node groups or Fargate profiles",
        "EKS deletes a cluster only when no managed node group or Fargate profile is attached (ResourceInUseException): delete those first (delete-nodegroup, delete-fargate-profile), then the cluster. Self-managed nodes are EC2 instances EKS does not own: they outlive the cluster, and bill, until you terminate them.";
    "no-fargate-profile", Aws, "eks-node-types", "No Fargate profile with this name",
        "A Fargate profile belongs to one cluster and is named within it; EKS answers a name the cluster does not have with ResourceNotFoundException.";
    "no-nodegroup", Aws, "eks-node-types", "No managed node group with this name",
        "EKS knows the managed node groups of a cluster by name. Self-managed nodes are your own Auto Scaling group: EKS's node group API does not list or change them.";
    "replicas", Dockyard, "eks-core-concepts", "More replicas than Dockyard plays",
        "Dockyard plays at most 5,000 pods per Deployment so that a scenario, and a share link, stays something a browser can play. This bound is Dockyard's own, not a Kubernetes or EKS limit.";
}

/// The refusal with this code.
pub fn refusal(code: &str) -> Option<&'static Refusal> {
    REFUSALS.iter().find(|refusal| refusal.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Every code passed to `Rejection::new` in the model's sources, with
    /// where. Built from pieces so that this file's own text is no match.
    fn codes_in_use() -> Vec<(String, String)> {
        let needle = concat!("Rejection", "::new(");
        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut found = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (at, _) in text.match_indices(needle) {
                let rest = text[at + needle.len()..].trim_start();
                let code = rest
                    .strip_prefix('"')
                    .and_then(|rest| rest.split_once('"'))
                    .map(|(code, _)| code.to_string())
                    .unwrap_or_else(|| {
                        panic!(
                            "{}: a rejection's code must be a string literal, so that this test can check it",
                            file.display()
                        )
                    });
                found.push((code, file.display().to_string()));
            }
        }
        found
    }

    #[test]
    fn every_rejection_code_is_in_the_catalogue() {
        let used = codes_in_use();
        assert!(used.len() > REFUSALS.len(), "the scan found too little");
        for (code, file) in &used {
            assert!(refusal(code).is_some(), "{file}: {code} is not in REFUSALS");
        }
        for entry in REFUSALS {
            assert!(
                used.iter().any(|(code, _)| code == entry.code),
                "{} is in REFUSALS but no rejection uses it",
                entry.code
            );
        }
    }

    #[test]
    fn codes_are_unique_kebab_case_and_apart_from_the_rules() {
        for (i, entry) in REFUSALS.iter().enumerate() {
            assert!(
                entry
                    .code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                entry.code
            );
            assert!(
                REFUSALS[i + 1..]
                    .iter()
                    .all(|other| other.code != entry.code),
                "duplicate {}",
                entry.code
            );
            // One page per code: #/findings/CODE must not be ambiguous.
            assert!(
                crate::taskdef::rule(entry.code).is_none(),
                "{} is also a finding code",
                entry.code
            );
            assert!(
                crate::iam::policy_check(entry.code).is_none(),
                "{} is also a policy check code",
                entry.code
            );
            assert!(entry.why.ends_with('.'), "{}", entry.code);
        }
        // And the policy checks' codes are apart from the rules' too.
        for check in crate::iam::POLICY_CHECKS {
            assert!(
                crate::taskdef::rule(check.code).is_none(),
                "{} is also a finding code",
                check.code
            );
            assert!(check.why.ends_with('.'), "{}", check.code);
        }
    }

    #[test]
    fn bounds_of_dockyards_own_say_so() {
        for entry in REFUSALS {
            if entry.origin == Origin::Dockyard {
                assert!(entry.why.contains("Dockyard"), "{}", entry.code);
            }
        }
    }

    #[test]
    fn every_chapter_is_a_chapter_of_the_notes() {
        let notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/notes");
        let chapters = REFUSALS
            .iter()
            .map(|r| (r.code, r.chapter))
            .chain(crate::taskdef::RULES.iter().map(|r| (r.code, r.chapter)));
        for (code, chapter) in chapters {
            let file = notes.join(format!("{chapter}.md"));
            assert!(file.is_file(), "{code}: no chapter {}", file.display());
        }
    }
}
