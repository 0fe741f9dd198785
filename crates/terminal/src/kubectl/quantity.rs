//! Kubernetes quantities (`500m`, `0.5`, `1Gi`, `128974848`, `129e6`) as the
//! scheduler reads a pod's requests: CPU in millicores, rounded up to the
//! milli (Kubernetes keeps no finer precision), memory in bytes.

/// The API server's words for a quantity it cannot read.
pub(crate) const QUANTITY_PATTERN: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// A quantity's value in base units (cores, bytes).
pub(crate) fn parse(text: &str) -> Result<f64, String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-')))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let digits = number.trim_start_matches(['+', '-']);
    if digits.is_empty()
        || digits.matches('.').count() > 1
        || !digits.chars().any(|c| c.is_ascii_digit())
        || number[1..].contains(['+', '-'])
    {
        return Err(QUANTITY_PATTERN.into());
    }
    let base: f64 = number.parse().map_err(|_| QUANTITY_PATTERN.to_string())?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exponent if exponent.starts_with(['e', 'E']) => {
            let power: i32 = exponent[1..]
                .parse()
                .map_err(|_| QUANTITY_PATTERN.to_string())?;
            10f64.powi(power)
        }
        _ => return Err(QUANTITY_PATTERN.into()),
    };
    Ok(base * factor)
}

/// A quantity as JSON gives it: a string, or a bare number.
pub(crate) fn parse_value(value: &serde_json::Value) -> Result<f64, String> {
    match value {
        serde_json::Value::String(text) => parse(text),
        serde_json::Value::Number(n) => n.as_f64().ok_or_else(|| QUANTITY_PATTERN.to_string()),
        _ => Err(QUANTITY_PATTERN.into()),
    }
}

/// Cores to millicores, rounded up.
pub(crate) fn millicores(cores: f64) -> u64 {
    (cores * 1000.0 - 1e-9).ceil().max(0.0) as u64
}

/// Bytes to MiB, rounded up (the model books memory in MiB).
pub(crate) fn mebibytes(bytes: f64) -> u64 {
    (bytes / 1_048_576.0 - 1e-9).ceil().max(0.0) as u64
}

/// `500m` or `2`, as kubectl prints CPU.
pub(crate) fn cpu_text(millicores: u32) -> String {
    if millicores % 1000 == 0 {
        format!("{}", millicores / 1000)
    } else {
        format!("{millicores}m")
    }
}

/// `512Mi` or `2Gi`, as kubectl prints memory the model keeps in MiB.
pub(crate) fn memory_text(mib: u32) -> String {
    if mib == 0 {
        "0".into()
    } else if mib % 1024 == 0 {
        format!("{}Gi", mib / 1024)
    } else {
        format!("{mib}Mi")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_as_the_documentation_writes_them() {
        // Kubernetes docs, "Resource Management for Pods and Containers":
        // 0.1 CPU is 100m; 128974848, 129e6, 129M, 123Mi are about the same.
        assert_eq!(millicores(parse("0.1").unwrap()), 100);
        assert_eq!(millicores(parse("500m").unwrap()), 500);
        assert_eq!(millicores(parse("2").unwrap()), 2000);
        assert_eq!(millicores(parse("0.0001").unwrap()), 1);
        assert_eq!(parse("128974848").unwrap(), 128_974_848.0);
        assert_eq!(parse("129e6").unwrap(), 129e6);
        assert_eq!(parse("129M").unwrap(), 129e6);
        assert_eq!(mebibytes(parse("123Mi").unwrap()), 123);
        assert_eq!(mebibytes(parse("1Gi").unwrap()), 1024);
        assert_eq!(mebibytes(parse("1G").unwrap()), 954);
    }

    #[test]
    fn what_is_not_a_quantity_is_refused_in_the_api_servers_words() {
        for bad in ["", "abc", "1.2.3", "5 Mi", "1MB", "m", "1-2"] {
            assert_eq!(parse(bad), Err(QUANTITY_PATTERN.to_string()), "{bad}");
        }
    }

    #[test]
    fn printed_as_kubectl_prints_them() {
        assert_eq!(cpu_text(250), "250m");
        assert_eq!(cpu_text(2000), "2");
        assert_eq!(memory_text(512), "512Mi");
        assert_eq!(memory_text(2048), "2Gi");
    }
}
