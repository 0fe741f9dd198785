//! The image field as ECS checks it at registration (rules §1.2). Docker's
//! stricter reference grammar applies when the image is pulled.

use crate::registry::EcrRegistry;

/// Checks `image` the way RegisterTaskDefinition does: up to 255 characters
/// (before any digest) drawn from letters, digits, `- _ : . / #`, and a
/// digest, when present, of the form `sha256:` plus 64 hex digits.
pub fn parse_image(image: &str) -> Result<(), String> {
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    if name.is_empty() {
        return Err("the repository part before the digest is empty".into());
    }
    if name.chars().count() > 255 {
        return Err(format!(
            "{} characters; at most 255 are allowed (before any digest)",
            name.chars().count()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_:./#".contains(*c)))
    {
        return Err(format!(
            "'{bad}' is not allowed; use letters, digits and - _ : . / #"
        ));
    }
    if name.ends_with(':') || name.ends_with('/') {
        return Err("the reference ends with a separator".into());
    }
    if let Some(digest) = digest {
        let hex = digest
            .strip_prefix("sha256:")
            .ok_or("a digest starts with sha256:")?;
        if hex.len() != 64
            || !hex
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        {
            return Err("a sha256 digest is 64 lowercase hexadecimal digits".into());
        }
    }
    Ok(())
}

/// Whether the image lives in a private Amazon ECR registry
/// (`<account>.dkr.ecr.<region>.amazonaws.com/...`), as
/// [`EcrRegistry::of_image`] recognises it everywhere in the model.
pub fn looks_like_ecr(image: &str) -> bool {
    EcrRegistry::of_image(image).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecs_image_forms() {
        assert!(parse_image("nginx").is_ok());
        assert!(parse_image("nginx:1.27-alpine").is_ok());
        assert!(parse_image("amazon/amazon-ecs-agent:latest").is_ok());
        assert!(parse_image("012345678910.dkr.ecr.us-east-1.amazonaws.com/web:v1").is_ok());
        let digest = format!("nginx@sha256:{}", "a".repeat(64));
        assert!(parse_image(&digest).is_ok());
        assert!(parse_image("nginx@sha256:abc").is_err());
        assert!(parse_image("my image")
            .unwrap_err()
            .contains("' ' is not allowed"));
        assert!(parse_image(&"a".repeat(256))
            .unwrap_err()
            .contains("at most 255"));
    }

    #[test]
    fn ecr_images_are_recognised() {
        assert!(looks_like_ecr(
            "012345678910.dkr.ecr.eu-west-1.amazonaws.com/app:1"
        ));
        assert!(!looks_like_ecr("public.ecr.aws/nginx/nginx:latest"));
        assert!(!looks_like_ecr("nginx"));
        assert!(!looks_like_ecr("12345.dkr.ecr.us-east-1.amazonaws.com/app"));
    }
}
