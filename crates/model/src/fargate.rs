//! Fargate task sizes: a fixed menu of cpu/memory pairs, not free-form
//! (rules §2.1).

use serde::Serialize;

/// When the menu below was last checked against AWS. Fargate has grown
/// sizes over time (8 and 16 vCPU arrived in 2022), so the UI shows this.
pub const SIZES_AS_OF: &str = "2026-08 (ECS API model; cfn-lint rule E3047)";

/// The operating system family of a Fargate task, as far as sizing cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum OsFamily {
    Linux,
    Windows,
}

/// The memory values offered for one cpu value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryMenu {
    /// An explicit list (0.25 vCPU offers 512, 1024 and 2048 MiB).
    List(&'static [u32]),
    /// Every multiple of `step` from `min` to `max` inclusive.
    Range { min: u32, max: u32, step: u32 },
}

impl MemoryMenu {
    pub fn values(&self) -> Vec<u32> {
        match *self {
            MemoryMenu::List(values) => values.to_vec(),
            MemoryMenu::Range { min, max, step } => (min..=max).step_by(step as usize).collect(),
        }
    }

    pub fn contains(&self, memory_mib: u32) -> bool {
        match *self {
            MemoryMenu::List(values) => values.contains(&memory_mib),
            MemoryMenu::Range { min, max, step } => {
                (min..=max).contains(&memory_mib) && (memory_mib - min) % step == 0
            }
        }
    }
}

/// One row of the Fargate size table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuOption {
    /// Task cpu in CPU units (1024 units = 1 vCPU).
    pub cpu_units: u32,
    pub memory: MemoryMenu,
    /// Windows tasks on Fargate need at least 1 vCPU and stop at 4 vCPU.
    pub windows: bool,
    /// The oldest Linux platform version that offers this size.
    pub min_linux_platform: Option<&'static str>,
}

/// The whole menu, smallest first.
pub const CPU_OPTIONS: [CpuOption; 7] = [
    CpuOption {
        cpu_units: 256,
        memory: MemoryMenu::List(&[512, 1024, 2048]),
        windows: false,
        min_linux_platform: None,
    },
    CpuOption {
        cpu_units: 512,
        memory: MemoryMenu::Range {
            min: 1024,
            max: 4096,
            step: 1024,
        },
        windows: false,
        min_linux_platform: None,
    },
    CpuOption {
        cpu_units: 1024,
        memory: MemoryMenu::Range {
            min: 2048,
            max: 8192,
            step: 1024,
        },
        windows: true,
        min_linux_platform: None,
    },
    CpuOption {
        cpu_units: 2048,
        memory: MemoryMenu::Range {
            min: 4096,
            max: 16384,
            step: 1024,
        },
        windows: true,
        min_linux_platform: None,
    },
    CpuOption {
        cpu_units: 4096,
        memory: MemoryMenu::Range {
            min: 8192,
            max: 30720,
            step: 1024,
        },
        windows: true,
        min_linux_platform: None,
    },
    CpuOption {
        cpu_units: 8192,
        memory: MemoryMenu::Range {
            min: 16384,
            max: 61440,
            step: 4096,
        },
        windows: false,
        min_linux_platform: Some("1.4.0"),
    },
    CpuOption {
        cpu_units: 16384,
        memory: MemoryMenu::Range {
            min: 32768,
            max: 122880,
            step: 8192,
        },
        windows: false,
        min_linux_platform: Some("1.4.0"),
    },
];

/// Why a cpu/memory pair is not on the Fargate menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SizeError {
    CpuNotOffered {
        cpu_units: u32,
    },
    MemoryNotOffered {
        cpu_units: u32,
        memory_mib: u32,
        offered: Vec<u32>,
    },
    NotOfferedOnWindows {
        cpu_units: u32,
    },
}

impl std::fmt::Display for SizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SizeError::CpuNotOffered { cpu_units } => write!(
                f,
                "Fargate offers task cpu 256, 512, 1024, 2048, 4096, 8192 or 16384 units; {cpu_units} is not on the menu"
            ),
            SizeError::MemoryNotOffered { cpu_units, memory_mib, offered } => {
                let first = offered.first().copied().unwrap_or_default();
                let last = offered.last().copied().unwrap_or_default();
                write!(
                    f,
                    "with cpu {cpu_units} Fargate offers memory from {first} to {last} MiB ({} choices); {memory_mib} MiB is not one of them",
                    offered.len()
                )
            }
            SizeError::NotOfferedOnWindows { cpu_units } => write!(
                f,
                "Windows tasks on Fargate need 1, 2 or 4 vCPU; cpu {cpu_units} is Linux only"
            ),
        }
    }
}

impl std::error::Error for SizeError {}

pub fn cpu_option(cpu_units: u32) -> Option<&'static CpuOption> {
    CPU_OPTIONS
        .iter()
        .find(|option| option.cpu_units == cpu_units)
}

/// Checks a task size against the menu, as RegisterTaskDefinition does when
/// `requiresCompatibilities` includes FARGATE.
pub fn check_size(cpu_units: u32, memory_mib: u32, os: OsFamily) -> Result<(), SizeError> {
    let option = cpu_option(cpu_units).ok_or(SizeError::CpuNotOffered { cpu_units })?;
    if os == OsFamily::Windows && !option.windows {
        return Err(SizeError::NotOfferedOnWindows { cpu_units });
    }
    if !option.memory.contains(memory_mib) {
        return Err(SizeError::MemoryNotOffered {
            cpu_units,
            memory_mib,
            offered: option.memory.values(),
        });
    }
    Ok(())
}

/// Every (cpu units, memory MiB) pair on the Linux menu, smallest first.
pub fn all_sizes() -> impl Iterator<Item = (u32, u32)> {
    CPU_OPTIONS.iter().flat_map(|option| {
        option
            .memory
            .values()
            .into_iter()
            .map(move |memory| (option.cpu_units, memory))
    })
}

/// The smallest menu entry with at least this cpu and memory: how EKS on
/// Fargate sizes a pod (rules §7.3: requests plus 256 MiB, rounded up).
pub fn smallest_fitting(cpu_units: u32, memory_mib: u32) -> Option<(u32, u32)> {
    all_sizes().find(|&(cpu, memory)| cpu >= cpu_units && memory >= memory_mib)
}

/// Memory Fargate adds to an EKS pod for the kubelet, kube-proxy and
/// containerd (rules §7.3).
pub const EKS_POD_OVERHEAD_MIB: u32 = 256;

/// The size EKS on Fargate gives a pod whose requests add up to
/// `cpu_millicores` and `memory_mib`: the requests plus 256 MiB, rounded up
/// to the menu. `None` when no Fargate size is large enough, so the pod
/// stays Pending.
pub fn eks_pod_size(cpu_millicores: u32, memory_mib: u32) -> Option<(u32, u32)> {
    let memory_needed = memory_mib.checked_add(EKS_POD_OVERHEAD_MIB)?;
    // 1 vCPU is 1000 millicores in Kubernetes and 1024 CPU units in Fargate.
    all_sizes().find(|&(cpu_units, memory)| {
        u64::from(cpu_units) * 1000 >= u64::from(cpu_millicores) * 1024 && memory >= memory_needed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_menu_has_the_74_documented_pairs() {
        assert_eq!(all_sizes().count(), 74);
        let per_cpu: Vec<usize> = CPU_OPTIONS
            .iter()
            .map(|o| o.memory.values().len())
            .collect();
        assert_eq!(per_cpu, vec![3, 4, 7, 13, 23, 12, 12]);
    }

    #[test]
    fn quarter_vcpu_with_four_gib_is_refused_and_says_what_is_offered() {
        let error = check_size(256, 4096, OsFamily::Linux).unwrap_err();
        assert_eq!(
            error,
            SizeError::MemoryNotOffered {
                cpu_units: 256,
                memory_mib: 4096,
                offered: vec![512, 1024, 2048]
            }
        );
        assert!(error.to_string().contains("512 to 2048 MiB"));
    }

    #[test]
    fn large_sizes_step_by_four_and_eight_gib() {
        assert!(check_size(8192, 20480, OsFamily::Linux).is_ok());
        assert!(
            check_size(8192, 17408, OsFamily::Linux).is_err(),
            "8 vCPU steps by 4096 MiB"
        );
        assert!(check_size(16384, 40960, OsFamily::Linux).is_ok());
        assert!(
            check_size(16384, 36864, OsFamily::Linux).is_err(),
            "16 vCPU steps by 8192 MiB"
        );
        assert!(check_size(4096, 30720, OsFamily::Linux).is_ok());
        assert!(check_size(4096, 31744, OsFamily::Linux).is_err());
    }

    #[test]
    fn windows_needs_one_to_four_vcpu() {
        assert_eq!(
            check_size(512, 1024, OsFamily::Windows),
            Err(SizeError::NotOfferedOnWindows { cpu_units: 512 })
        );
        assert!(check_size(1024, 2048, OsFamily::Windows).is_ok());
        assert!(check_size(8192, 16384, OsFamily::Windows).is_err());
    }

    #[test]
    fn unknown_cpu_values_are_refused() {
        assert_eq!(
            check_size(300, 512, OsFamily::Linux),
            Err(SizeError::CpuNotOffered { cpu_units: 300 })
        );
    }

    #[test]
    fn an_eks_pod_of_one_vcpu_and_eight_gib_runs_on_two_vcpu_and_nine_gib() {
        // rules §7.3: 1 vCPU + 8 GB of requests, plus 256 MiB, rounds up to 2 vCPU / 9 GB.
        assert_eq!(smallest_fitting(1024, 8192 + 256), Some((2048, 9216)));
        assert_eq!(smallest_fitting(0, 256), Some((256, 512)));
        assert_eq!(smallest_fitting(16384, 200_000), None);
    }

    #[test]
    fn eks_pods_get_their_requests_plus_256_mib_rounded_up() {
        assert_eq!(eks_pod_size(1000, 8192), Some((2048, 9216)));
        assert_eq!(eks_pod_size(0, 0), Some((256, 512)));
        assert_eq!(eks_pod_size(250, 256), Some((256, 512)));
        assert_eq!(
            eks_pod_size(250, 257),
            Some((256, 1024)),
            "257 + 256 MiB no longer fits in 512"
        );
        assert_eq!(
            eks_pod_size(251, 0),
            Some((512, 1024)),
            "251m is more than a quarter vCPU"
        );
        assert_eq!(
            eks_pod_size(16000, 122880),
            None,
            "16 vCPU / 120 GiB plus overhead fits nothing"
        );
        assert_eq!(eks_pod_size(u32::MAX, u32::MAX), None);
    }
}
