//! Panels drawn live from the model: the UI only asks and shows.

use dockyard_model::fargate::{self, MemoryMenu};
use dockyard_model::principals::{self, Call, Platform, Principal, RoleSetup};
use dockyard_model::storage::{self, EcsPlatform, Support, VolumeType};
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn vcpu(cpu_units: u32) -> String {
    let vcpu = f64::from(cpu_units) / 1024.0;
    format!("{vcpu}")
}

fn gib(memory_mib: u32) -> String {
    let gib = f64::from(memory_mib) / 1024.0;
    format!("{gib}")
}

#[function_component(FargateSizes)]
pub fn fargate_sizes() -> Html {
    html! {
        <section class="panel model-panel fargate" aria-labelledby="fargate-sizes-heading">
            <h2 id="fargate-sizes-heading">{ "The Fargate size menu" }</h2>
            <p class="panel-lead">
                { format!("Task cpu and memory must be one of these {} pairs. ", fargate::all_sizes().count()) }
                { "Anything else is refused when the task definition is registered." }
            </p>
            <table class="data" tabindex="0">
                <thead>
                    <tr>
                        <th scope="col" class="align-right">{ "vCPU" }</th>
                        <th scope="col" class="align-right">{ "cpu" }</th>
                        <th scope="col">{ "memory (GiB)" }</th>
                        <th scope="col">{ "OS" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for fargate::CPU_OPTIONS.iter().map(|option| {
                        let memory = match option.memory {
                            MemoryMenu::List(values) => values.iter().map(|m| gib(*m)).collect::<Vec<_>>().join(", "),
                            MemoryMenu::Range { min, max, step } => format!("{} to {}, step {}", gib(min), gib(max), gib(step)),
                        };
                        let os = match (option.windows, option.min_linux_platform) {
                            (true, _) => "Linux, Windows".to_string(),
                            (false, Some(platform)) => format!("Linux, platform {platform}+"),
                            (false, None) => "Linux".to_string(),
                        };
                        html! {
                            <tr>
                                <td class="align-right num">{ vcpu(option.cpu_units) }</td>
                                <td class="align-right num">{ option.cpu_units }</td>
                                <td class="num">{ memory }</td>
                                <td>{ os }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <p class="as-of">{ format!("As of {}.", fargate::SIZES_AS_OF) }</p>
        </section>
    }
}

fn principal_class(principal: Principal) -> &'static str {
    match principal {
        Principal::Nobody => "verdict denied",
        Principal::NotApplicable => "verdict neutral",
        _ => "verdict allowed",
    }
}

fn platform_class(platform: Platform) -> &'static str {
    match platform {
        Platform::EcsOnEc2 => "kind-ec2",
        Platform::EcsOnFargate => "kind-fargate",
        Platform::EksOnEc2Nodes | Platform::EksOnFargate => "kind-eks",
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Toggle {
    TaskRole,
    ExecutionRole,
    ServiceAccountRole,
    ImdsBlocked,
}

#[function_component(WhoCalls)]
pub fn who_calls() -> Html {
    let platform = use_state(|| Platform::EcsOnFargate);
    let setup = use_state(|| RoleSetup {
        task_role: true,
        execution_role: true,
        ..RoleSetup::default()
    });

    let toggle = |which: Toggle| {
        let setup = setup.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut next = *setup;
            match which {
                Toggle::TaskRole => next.task_role = input.checked(),
                Toggle::ExecutionRole => next.execution_role = input.checked(),
                Toggle::ServiceAccountRole => next.service_account_role = input.checked(),
                Toggle::ImdsBlocked => next.imds_blocked = input.checked(),
            }
            setup.set(next);
        })
    };
    let is_ecs = matches!(*platform, Platform::EcsOnEc2 | Platform::EcsOnFargate);
    let checkbox = |which: Toggle, label: &'static str, checked: bool| {
        html! {
            <label class="check">
                <input type="checkbox" checked={checked} onchange={toggle(which)} />
                { label }
            </label>
        }
    };

    html! {
        <section class="panel model-panel" aria-labelledby="who-calls-heading">
            <h2 id="who-calls-heading">{ "Who makes each call?" }</h2>
            <p class="panel-lead">{ "Pick where the container runs and which roles exist; the model answers for every call." }</p>
            <fieldset class="segmented">
                <legend>{ "Runs on" }</legend>
                { for Platform::ALL.iter().map(|candidate| {
                    let selected = *candidate == *platform;
                    let onchange = {
                        let platform = platform.clone();
                        let candidate = *candidate;
                        Callback::from(move |_: Event| platform.set(candidate))
                    };
                    html! {
                        <label class={classes!("segment", platform_class(*candidate), selected.then_some("selected"))}>
                            <input type="radio" name="who-calls-platform" checked={selected} onchange={onchange} />
                            { candidate.label() }
                        </label>
                    }
                }) }
            </fieldset>
            <fieldset class="checks">
                <legend>{ "Roles" }</legend>
                if is_ecs {
                    { checkbox(Toggle::TaskRole, "Task role (taskRoleArn)", setup.task_role) }
                    { checkbox(Toggle::ExecutionRole, "Task execution role (executionRoleArn)", setup.execution_role) }
                } else {
                    { checkbox(Toggle::ServiceAccountRole, "IAM role for the service account (IRSA)", setup.service_account_role) }
                }
                if matches!(*platform, Platform::EcsOnEc2 | Platform::EksOnEc2Nodes) {
                    { checkbox(Toggle::ImdsBlocked, "Instance metadata blocked for containers", setup.imds_blocked) }
                }
            </fieldset>
            <ul class="calls" aria-live="polite">
                { for Call::ALL.iter().map(|call| {
                    let answer = principals::who_calls(*platform, *call, *setup);
                    html! {
                        <li class="call">
                            <span class="call-name">{ call.label() }</span>
                            <span class={principal_class(answer.principal)}>{ answer.principal.label() }</span>
                            <span class="call-why">{ answer.why }</span>
                            if let Some(uncertainty) = answer.uncertainty {
                                <span class="call-uncertain">{ "Not precisely documented: " }{ uncertainty }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

#[function_component(VolumeMatrix)]
pub fn volume_matrix() -> Html {
    let platforms = [EcsPlatform::Ec2Linux, EcsPlatform::FargateLinux];
    let cell = |support: Support| {
        let (class, word) = match support {
            Support::Supported(_) => ("verdict allowed", "Yes"),
            Support::Refused(_) => ("verdict denied", "No"),
            Support::Unverified(_) => ("verdict neutral", "Unverified"),
        };
        html! { <td><span class={class} title={support.note()}>{ word }</span></td> }
    };
    let kept = |yes: bool| {
        if yes {
            html! { <td><span class="verdict allowed">{ "Kept" }</span></td> }
        } else {
            html! { <td><span class="verdict denied">{ "Lost" }</span></td> }
        }
    };
    html! {
        <section class="panel model-panel" aria-labelledby="volumes-heading">
            <h2 id="volumes-heading">{ "Where each volume works, and what survives" }</h2>
            <table class="data" tabindex="0">
                <thead>
                    <tr>
                        <th scope="col">{ "Volume" }</th>
                        { for platforms.iter().map(|p| html! { <th scope="col">{ p.label() }</th> }) }
                        <th scope="col">{ "Task stops" }</th>
                        <th scope="col">{ "AZ lost" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for VolumeType::ALL.iter().map(|volume| {
                        let durability = storage::durability(*volume);
                        html! {
                            <tr>
                                <th scope="row">{ volume.label() }</th>
                                { for platforms.iter().map(|p| cell(storage::support(*volume, *p))) }
                                { kept(durability.survives_task_stop) }
                                { kept(durability.survives_az_loss) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <p class="as-of">{ "Hover a verdict for the reason. Windows support is in the notes." }</p>
        </section>
    }
}

/// Reads a whole number from a form field, naming the field when it is not one.
fn parse_field(name: &str, text: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<u32>()
        .map_err(|_| format!("{name} must be a whole number (got \u{201c}{text}\u{201d})."))
}

#[function_component(PodSizer)]
pub fn pod_sizer() -> Html {
    let cpu = use_state(|| "1000".to_string());
    let memory = use_state(|| "8192".to_string());
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            state.set(input.value());
        })
    };
    let verdict = match (
        parse_field("CPU request", &cpu),
        parse_field("Memory request", &memory),
    ) {
        (Err(error), _) | (_, Err(error)) => {
            html! { <p class="field-error" role="alert">{ error }</p> }
        }
        (Ok(cpu), Ok(memory)) => match fargate::eks_pod_size(cpu, memory) {
            Some((cpu_units, memory_mib)) => html! {
                <p class="sizer-result">
                    { "Fargate runs this pod on " }
                    <strong class="num">{ format!("{} vCPU and {} GB", vcpu(cpu_units), gib(memory_mib)) }</strong>
                    { format!(": your requests plus {} MiB, rounded up to the size menu.", fargate::EKS_POD_OVERHEAD_MIB) }
                </p>
            },
            None => html! {
                <p class="sizer-result"><span class="verdict denied">{ "Too large" }</span>
                { " No Fargate size fits these requests plus 256 MiB: the pod stays Pending." }</p>
            },
        },
    };
    html! {
        <section class="panel model-panel fargate" aria-labelledby="pod-sizer-heading">
            <h2 id="pod-sizer-heading">{ "How big is a pod on EKS Fargate?" }</h2>
            <div class="fields">
                <label>
                    { "CPU request (millicores)" }
                    <input type="text" inputmode="numeric" value={(*cpu).clone()} oninput={input(&cpu)} />
                </label>
                <label>
                    { "Memory request (MiB)" }
                    <input type="text" inputmode="numeric" value={(*memory).clone()} oninput={input(&memory)} />
                </label>
            </div>
            { verdict }
        </section>
    }
}

/// Reads an image reference as Docker and ECS do, and says who may pull it.
#[function_component(ImageReference)]
pub fn image_reference() -> Html {
    use dockyard_model::registry::{pull::pull_requirements, ImageRef, RegistryKind};
    let text = use_state(|| "nginx".to_string());
    let on_input = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            text.set(input.value());
        })
    };
    let result = match ImageRef::parse(text.trim()) {
        Err(error) => html! { <p class="field-error" role="alert">{ error.to_string() }</p> },
        Ok(image) => {
            let registry = match image.kind() {
                RegistryKind::DockerHub => {
                    "Docker Hub (the default when no registry is named)".to_string()
                }
                RegistryKind::Ecr(ecr) => {
                    format!("Amazon ECR, account {} in {}", ecr.account_id, ecr.region)
                }
                RegistryKind::EcrPublic => "Amazon ECR Public".to_string(),
                RegistryKind::Quay => "Quay".to_string(),
                RegistryKind::GitHub => "GitHub Container Registry".to_string(),
                RegistryKind::Other => format!("{} (another registry)", image.registry()),
            };
            let reference = match (image.tag(), image.digest()) {
                (_, Some(digest)) => format!("digest {digest}"),
                (Some(tag), None) if image.tag_is_implicit() => {
                    format!("tag {tag} (implied: no tag was given)")
                }
                (Some(tag), None) => format!("tag {tag}"),
                (None, None) => "no tag".to_string(),
            };
            let pull = pull_requirements(&image);
            html! {
                <>
                    <dl class="facts">
                        <dt>{ "Full reference" }</dt><dd><code>{ image.to_string() }</code></dd>
                        <dt>{ "Registry" }</dt><dd>{ registry }</dd>
                        <dt>{ "Repository" }</dt><dd><code>{ image.repository() }</code></dd>
                        <dt>{ "Version" }</dt><dd>{ reference }</dd>
                    </dl>
                    <p>
                        if pull.needs_aws_credentials {
                            <span class="verdict warning">{ "Needs IAM permissions" }</span>
                        } else {
                            <span class="verdict allowed">{ "No AWS credentials needed" }</span>
                        }
                        { " " }{ pull.note }
                    </p>
                    if !pull.actions.is_empty() {
                        <ul class="actions">
                            { for pull.actions.iter().map(|(action, resource)| html! {
                                <li><code>{ *action }</code>{ " on " }<code>{ resource.clone() }</code></li>
                            }) }
                        </ul>
                    }
                </>
            }
        }
    };
    html! {
        <section class="panel model-panel" aria-labelledby="image-ref-heading">
            <h2 id="image-ref-heading">{ "Read an image reference" }</h2>
            <div class="fields">
                <label>
                    { "Image, as in a task definition" }
                    <input type="text" spellcheck="false" value={(*text).clone()} oninput={on_input} />
                </label>
            </div>
            { result }
        </section>
    }
}

/// Which CSI storage works on which EKS compute, with AWS's reasons.
#[function_component(CsiMatrix)]
pub fn csi_matrix() -> Html {
    use dockyard_model::storage::eks::{
        csi_support, AccessMode, CsiDriver, EksCompute, NodeOs, Provisioning,
    };
    let nodes = EksCompute::ManagedNodeGroup(NodeOs::Linux);
    // Each dimension a driver can fail on gets a column: dynamic volumes
    // one node writes, and existing (static) volumes many nodes share, on
    // EC2 nodes and on Fargate.
    let columns = [
        (
            "EC2 nodes: new volume, one node (RWO)",
            nodes,
            AccessMode::ReadWriteOnce,
            Provisioning::Dynamic,
        ),
        (
            "EC2 nodes: existing volume, many nodes (RWX)",
            nodes,
            AccessMode::ReadWriteMany,
            Provisioning::Static,
        ),
        (
            "Fargate: new volume (RWO)",
            EksCompute::Fargate,
            AccessMode::ReadWriteOnce,
            Provisioning::Dynamic,
        ),
        (
            "Fargate: existing volume, many pods (RWX)",
            EksCompute::Fargate,
            AccessMode::ReadWriteMany,
            Provisioning::Static,
        ),
    ];
    let cell =
        |driver: CsiDriver, compute: EksCompute, mode: AccessMode, provisioning: Provisioning| {
            let support = csi_support(driver, compute, mode, provisioning);
            let (class, word) = match support {
                Support::Supported(_) => ("verdict allowed", "Yes"),
                Support::Refused(_) => ("verdict denied", "No"),
                Support::Unverified(_) => ("verdict neutral", "Unverified"),
            };
            html! { <td><span class={class} title={support.note()}>{ word }</span></td> }
        };
    html! {
        <section class="panel model-panel" aria-labelledby="csi-heading">
            <h2 id="csi-heading">{ "CSI storage on EC2 nodes and on Fargate" }</h2>
            <table class="data" tabindex="0">
                <thead>
                    <tr>
                        <th scope="col">{ "Driver" }</th>
                        { for columns.iter().map(|(label, ..)| html! { <th scope="col">{ *label }</th> }) }
                    </tr>
                </thead>
                <tbody>
                    { for CsiDriver::ALL.iter().map(|driver| html! {
                        <tr>
                            <th scope="row">{ driver.label() }</th>
                            { for columns.iter().map(|(_, compute, mode, provisioning)| cell(*driver, *compute, *mode, *provisioning)) }
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="as-of">{ "New volume: dynamic provisioning through a StorageClass. Existing volume: static provisioning, a PersistentVolume you create. Hover a verdict for the reason." }</p>
        </section>
    }
}
