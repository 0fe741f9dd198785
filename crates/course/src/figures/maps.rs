//! The figures that show how the pieces fit: an image's way to a container,
//! the two control planes and two kinds of capacity, who runs what on each
//! launch type, ECR's pushes and pulls, EKS's control plane and nodes, and
//! the three kinds of EKS node. Where a figure names a rule (who pulls, what
//! a pull needs, a price, where a driver works) it asks the model.

use dockyard_model::principals::{who_calls, Call, Platform, RoleSetup};
use dockyard_model::registry::pull_requirements;
use dockyard_model::registry::ImageRef;
use dockyard_model::sim::catalogue::{
    FARGATE_MINIMUM_BILLED_MS, FARGATE_PER_GB_HOUR, FARGATE_PER_VCPU_HOUR, PRICES_AS_OF,
};
use dockyard_model::storage::eks::{
    csi_support, AccessMode, CsiDriver, EksCompute, NodeOs, Provisioning,
};

use super::svg::Canvas;
use super::Drawn;

pub(super) fn image_to_container() -> Drawn {
    let mut canvas = Canvas::new(820, 230);
    canvas.labelled_box((4, 80, 110, 60), &["Dockerfile"], "fig-box fig-strong");
    canvas.labelled_arrow((114, 110), (184, 110), "docker build");
    // The image: a stack of read-only layers.
    canvas.text(270, 30, "Image", "middle", "fig-strong");
    for (index, layer) in ["COPY app /app", "RUN install", "FROM base"]
        .iter()
        .enumerate()
    {
        canvas.labelled_box(
            (190, 44 + index as i32 * 42, 160, 36),
            &[layer],
            "fig-layer",
        );
    }
    canvas.text(270, 190, "read-only layers", "middle", "fig-small");
    canvas.labelled_arrow((350, 110), (430, 110), "docker push");
    canvas.labelled_box(
        (436, 70, 130, 80),
        &["Registry", "(ECR, Docker Hub)"],
        "fig-registry",
    );
    canvas.labelled_arrow((566, 110), (640, 110), "docker pull");
    canvas.text(730, 22, "Container", "middle", "fig-strong");
    canvas.labelled_box((650, 32, 160, 30), &["writable layer"], "fig-task");
    for (index, layer) in ["COPY app /app", "RUN install", "FROM base"]
        .iter()
        .enumerate()
    {
        canvas.labelled_box(
            (650, 68 + index as i32 * 38, 160, 32),
            &[layer],
            "fig-layer",
        );
    }
    canvas.text(730, 200, "lost with the container:", "middle", "fig-small");
    canvas.text(730, 216, "the writable layer", "middle", "fig-small");
    Drawn {
        title: "From a Dockerfile to a running container".into(),
        caption: "docker build makes an image of read-only layers; push and pull move only the layers the other side lacks; a container adds a thin writable layer on top, lost when the container is removed.".into(),
        words: vec![
            "A Dockerfile is built (docker build) into an image: a stack of read-only layers, one for each instruction that changes files.".into(),
            "docker push sends the image's layers to a registry such as Amazon ECR or Docker Hub; docker pull fetches them, each only the layers the other side lacks.".into(),
            "A container runs from the image's layers, shared and read-only, with a thin writable layer of its own on top.".into(),
            "Whatever the container writes into that layer is lost when the container is removed: data that must outlive it belongs in a volume.".into(),
        ],
        from_model: false,
        canvas,
    }
}

pub(super) fn control_planes_and_capacity() -> Drawn {
    let mut canvas = Canvas::new(760, 330);
    let columns = [
        ("EC2: capacity you run", "fig-ec2 fig-strong"),
        ("Fargate: capacity AWS runs", "fig-fargate fig-strong"),
    ];
    let rows = ["ECS", "EKS (Kubernetes)"];
    let cells = [
        [
            (Platform::EcsOnEc2, "tasks on your instances"),
            (Platform::EcsOnFargate, "each task its own micro-VM"),
        ],
        [
            (Platform::EksOnEc2Nodes, "pods on your nodes"),
            (Platform::EksOnFargate, "each pod its own micro-VM"),
        ],
    ];
    for (column, (label, class)) in columns.iter().enumerate() {
        canvas.labelled_box((200 + column as i32 * 280, 4, 270, 40), &[label], class);
    }
    let mut words = Vec::new();
    for (row, name) in rows.iter().enumerate() {
        let y = 54 + row as i32 * 100;
        canvas.labelled_box(
            (4, y, 186, 90),
            &[name, "control plane,", "run by AWS"],
            "fig-box fig-strong",
        );
        for (column, (platform, unit)) in cells[row].iter().enumerate() {
            let x = 200 + column as i32 * 280;
            let class = if column == 0 {
                "fig-ec2"
            } else {
                "fig-fargate"
            };
            canvas.labelled_box((x, y, 270, 90), &[platform.label(), unit], class);
            words.push(format!("{}: {unit}.", platform.label()));
        }
    }
    canvas.labelled_box(
        (200, 262, 550, 50),
        &["Amazon ECR: the images for all four"],
        "fig-registry",
    );
    for x in [335, 615] {
        canvas.arrow((x, 262), (x, 248));
    }
    words.insert(0, "Two control planes, both run by AWS: Amazon ECS and Amazon EKS (Kubernetes). Two kinds of capacity: EC2 instances you run, or Fargate, which AWS runs.".into());
    words.push("Amazon ECR stores the images that all four pull.".into());
    Drawn {
        title: "Two control planes, two kinds of capacity, one registry".into(),
        caption: "ECS or EKS decides what runs where; EC2 instances you run, or Fargate's micro-VMs that AWS runs, run it. Any of the four can pull from ECR.".into(),
        words,
        from_model: false,
        canvas,
    }
}

pub(super) fn who_runs_what() -> Drawn {
    let mut canvas = Canvas::new(760, 340);
    let stacks = [
        (
            "EC2 launch type",
            "fig-ec2 fig-strong",
            [
                ("Your containers", true),
                ("Task definition and roles", true),
                ("ECS agent, Docker, AMI updates", true),
                ("EC2 instances: size, patch, scale", true),
                ("ECS control plane", false),
            ],
        ),
        (
            "Fargate launch type",
            "fig-fargate fig-strong",
            [
                ("Your containers", true),
                ("Task definition and roles", true),
                ("Agent, runtime and OS of a micro-VM", false),
                ("Capacity, one micro-VM per task", false),
                ("ECS control plane", false),
            ],
        ),
    ];
    let mut words = Vec::new();
    for (column, (label, class, layers)) in stacks.iter().enumerate() {
        let x = 4 + column as i32 * 380;
        canvas.labelled_box((x, 4, 366, 36), &[label], class);
        let mut yours = Vec::new();
        let mut aws = Vec::new();
        for (index, (layer, you)) in layers.iter().enumerate() {
            let y = 48 + index as i32 * 42;
            canvas.labelled_box(
                (x, y, 290, 36),
                &[layer],
                if *you { "fig-you" } else { "fig-quiet" },
            );
            canvas.text(
                x + 298,
                y + 23,
                if *you { "you" } else { "AWS" },
                "start",
                "fig-strong",
            );
            if *you {
                yours.push(*layer)
            } else {
                aws.push(*layer)
            }
        }
        words.push(format!(
            "{label}: you run {}; AWS runs {}.",
            yours.join(", "),
            aws.join(", ")
        ));
    }
    let minimum = FARGATE_MINIMUM_BILLED_MS / 1000;
    let ec2_bill = "EC2: you pay for each instance while it runs, with tasks or without.";
    let fargate_bill = format!("Fargate: you pay per task: ${FARGATE_PER_VCPU_HOUR} per vCPU-hour and ${FARGATE_PER_GB_HOUR} per GB-hour, by the second, {minimum} s minimum.");
    canvas.text(4, 280, ec2_bill, "start", "fig-small");
    canvas.text(4, 300, &fargate_bill, "start", "fig-small");
    canvas.text(
        4,
        320,
        &format!("Prices: {PRICES_AS_OF}."),
        "start",
        "fig-small",
    );
    words.push(format!("The bill. {ec2_bill}"));
    words.push(format!("{fargate_bill} Prices: {PRICES_AS_OF}."));
    Drawn {
        title: "Who runs what, on the EC2 and Fargate launch types".into(),
        caption: "What you run and what AWS runs on each launch type, and what each bills for. Prices are illustrative and dated.".into(),
        words,
        from_model: false,
        canvas,
    }
}

pub(super) fn push_and_pull() -> Drawn {
    let image = ImageRef::parse("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1")
        .expect("a valid ECR image");
    let needs = pull_requirements(&image);
    let mut canvas = Canvas::new(800, 300);
    canvas.labelled_box(
        (4, 40, 190, 70),
        &["Your machine or CI", "(docker)"],
        "fig-box fig-strong",
    );
    canvas.labelled_arrow((194, 60), (300, 60), "1. log in");
    canvas.labelled_arrow((194, 95), (300, 95), "2. docker push");
    canvas.labelled_box(
        (306, 30, 190, 90),
        &["ECR repository", "web"],
        "fig-registry",
    );
    canvas.text(
        4,
        140,
        "1. aws ecr get-login-password | docker login: a token for 12 hours",
        "start",
        "fig-small",
    );
    canvas.text(
        4,
        158,
        "2. push: InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, PutImage",
        "start",
        "fig-small",
    );
    canvas.text(
        4,
        186,
        "3. A pull needs, for the principal that pulls:",
        "start",
        "fig-strong",
    );
    for (index, (action, resource)) in needs.actions.iter().enumerate() {
        let on = if resource == "*" {
            "*"
        } else {
            "the repository"
        };
        canvas.text(
            20,
            206 + index as i32 * 18,
            &format!("{action} on {on}"),
            "start",
            "fig-small",
        );
    }
    let pullers = [
        (Platform::EcsOnFargate, "fig-fargate"),
        (Platform::EcsOnEc2, "fig-ec2"),
        (Platform::EksOnEc2Nodes, "fig-eks"),
    ];
    let mut words = vec![
        "1. Log in: aws ecr get-login-password piped to docker login, which calls ecr:GetAuthorizationToken; the token lasts 12 hours.".to_string(),
        "2. docker push uploads the layers the repository lacks (ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload) and then the manifest (ecr:PutImage).".to_string(),
    ];
    let actions: Vec<String> = needs
        .actions
        .iter()
        .map(|(action, resource)| format!("{action} on {resource}"))
        .collect();
    words.push(format!("3. A pull needs {}.", actions.join(", ")));
    for (index, (platform, class)) in pullers.iter().enumerate() {
        let y = 20 + index as i32 * 80;
        let answer = who_calls(*platform, Call::PullPrivateEcrImage, RoleSetup::COMPLETE);
        canvas.labelled_box(
            (552, y, 244, 60),
            &[
                platform.label(),
                &format!("pulls with the {}", short_role(answer.principal.label())),
            ],
            class,
        );
        canvas.labelled_arrow(
            (496, 75),
            (552, y + 30),
            if index == 0 { "3. pull" } else { "" },
        );
        words.push(format!(
            "{} pulls with the {}: {}",
            platform.label(),
            answer.principal.label(),
            answer.why
        ));
    }
    Drawn {
        title: "Pushing an image to ECR, and who pulls it".into(),
        caption: "A push logs in and uploads layers; a pull is made by a role, never by the container's own task role: which one depends on where the container runs.".into(),
        words,
        from_model: true,
        canvas,
    }
}

/// A role's name short enough for a box.
fn short_role(label: &str) -> &str {
    match label {
        "container instance role (instance profile)" => "instance profile",
        other => other,
    }
}

pub(super) fn eks_control_plane_and_nodes() -> Drawn {
    let mut canvas = Canvas::new(780, 360);
    canvas.labelled_box(
        (160, 4, 460, 80),
        &[
            "EKS control plane, in AWS's account",
            "API server, etcd, scheduler, controllers",
        ],
        "fig-eks fig-strong",
    );
    canvas.labelled_box((4, 20, 120, 44), &["kubectl"], "fig-box fig-strong");
    canvas.labelled_arrow((124, 42), (160, 42), "");
    canvas.rect(4, 120, 772, 230, "fig-zone");
    canvas.text(16, 140, "Your VPC", "start", "fig-strong");
    let node_join = who_calls(
        Platform::EksOnEc2Nodes,
        Call::RegisterWithControlPlane,
        RoleSetup::COMPLETE,
    );
    let fargate_join = who_calls(
        Platform::EksOnFargate,
        Call::RegisterWithControlPlane,
        RoleSetup::COMPLETE,
    );
    for (index, name) in ["node 1 (EC2)", "node 2 (EC2)"].iter().enumerate() {
        let x = 20 + index as i32 * 250;
        canvas.rect(x, 160, 230, 170, "fig-eks");
        canvas.text(x + 12, 180, name, "start", "fig-strong");
        canvas.labelled_box(
            (x + 12, 190, 206, 30),
            &["kubelet, container runtime"],
            "fig-box",
        );
        for pod in 0..3 {
            canvas.disc(x + 40 + pod * 50, 270, 16, "fig-task");
            canvas.text(x + 40 + pod * 50, 306, "pod", "middle", "fig-small");
        }
        canvas.arrow((x + 115, 160), (x + 200, 84));
    }
    canvas.rect(540, 160, 220, 170, "fig-fargate");
    canvas.text(552, 180, "Fargate micro-VM", "start", "fig-strong");
    canvas.disc(650, 260, 16, "fig-task");
    canvas.text(650, 296, "one pod", "middle", "fig-small");
    canvas.arrow((650, 160), (600, 84));
    Drawn {
        title: "EKS: the control plane AWS runs, and the nodes that run pods".into(),
        caption: "kubectl talks to the API server of a control plane AWS runs; pods run on nodes in your VPC, whose kubelets register with that control plane.".into(),
        words: vec![
            "The EKS control plane (API server, etcd, the scheduler and controllers) runs in an AWS account, spread over zones; you reach it through its API server, with kubectl or the AWS SDKs.".into(),
            "Pods run in your VPC: on EC2 nodes, each running a kubelet and a container runtime, many pods to a node; or on Fargate, one pod to a micro-VM.".into(),
            format!("An EC2 node's kubelet registers with the control plane with the {}: {}", node_join.principal.label(), node_join.why),
            format!("On Fargate, the {} does it: {}", fargate_join.principal.label(), fargate_join.why),
        ],
        from_model: true,
        canvas,
    }
}

pub(super) fn eks_node_types() -> Drawn {
    let mut canvas = Canvas::new(780, 360);
    let kinds = [
        (
            "Managed node group",
            "EKS runs the Auto Scaling group",
            EksCompute::ManagedNodeGroup(NodeOs::Linux),
            Platform::EksOnEc2Nodes,
        ),
        (
            "Self-managed nodes",
            "you run the Auto Scaling group",
            EksCompute::SelfManagedNodes(NodeOs::Linux),
            Platform::EksOnEc2Nodes,
        ),
        (
            "Fargate",
            "AWS runs a micro-VM per pod",
            EksCompute::Fargate,
            Platform::EksOnFargate,
        ),
    ];
    let mut words = Vec::new();
    for (column, (name, who, compute, platform)) in kinds.iter().enumerate() {
        let x = 4 + column as i32 * 258;
        let fargate = *compute == EksCompute::Fargate;
        let class = if fargate {
            "fig-fargate fig-strong"
        } else {
            "fig-eks fig-strong"
        };
        canvas.labelled_box((x, 4, 248, 50), &[name, who], class);
        if fargate {
            for vm in 0..3 {
                let y = 66 + vm * 62;
                canvas.rect(x + 60, y, 128, 54, "fig-fargate");
                canvas.disc(x + 124, y + 27, 12, "fig-task");
            }
        } else {
            for node in 0..2 {
                let y = 66 + node * 94;
                canvas.rect(x + 14, y, 220, 86, "fig-eks");
                canvas.text(x + 24, y + 18, "node", "start", "fig-small");
                for pod in 0..3 {
                    canvas.disc(x + 44 + pod * 40, y + 50, 12, "fig-task");
                }
                canvas.disc(x + 44 + 3 * 40 + 10, y + 50, 12, "fig-daemon");
            }
        }
        let join = who_calls(
            *platform,
            Call::RegisterWithControlPlane,
            RoleSetup::COMPLETE,
        );
        let daemon_sets = if fargate { "no" } else { "yes" };
        let ebs = csi_support(
            CsiDriver::Ebs,
            *compute,
            AccessMode::ReadWriteOnce,
            Provisioning::Dynamic,
        );
        let ebs_word = if ebs.is_supported() { "yes" } else { "no" };
        let lines = [
            format!("role: {}", join.principal.label()),
            format!("DaemonSets: {daemon_sets}"),
            format!("EBS volumes: {ebs_word}"),
        ];
        for (index, line) in lines.iter().enumerate() {
            canvas.text(x + 8, 274 + index as i32 * 20, line, "start", "fig-small");
        }
        words.push(format!(
            "{name}: {who}. Joins the cluster with the {}. DaemonSets: {daemon_sets}. EBS volumes: {ebs_word} ({})",
            join.principal.label(),
            ebs.note()
        ));
    }
    canvas.disc(14, 346, 7, "fig-task");
    canvas.text(26, 351, "pod", "start", "fig-small");
    canvas.disc(80, 346, 7, "fig-daemon");
    canvas.text(
        92,
        351,
        "a DaemonSet's pod (one per node)",
        "start",
        "fig-small",
    );
    Drawn {
        title: "EKS's three kinds of node".into(),
        caption: "Managed node groups and self-managed nodes are EC2 instances in your account, many pods to a node, DaemonSets on each; Fargate gives each pod its own micro-VM, so there is no node for a DaemonSet or an EBS volume.".into(),
        words,
        from_model: true,
        canvas,
    }
}
