//! Image references as Docker and ECS read them (rules §1.2, §8, §10 point 18):
//! which registry an `image` string names, which repository, and which tag or
//! digest.

use std::fmt;

use serde::Serialize;

/// The registry a reference names when it has no domain.
pub const DOCKER_HUB: &str = "docker.io";

/// ECS's limit on `image`: the whole reference as written, or with a digest
/// the part before `@` (rules §1.2).
pub const MAX_REFERENCE_CHARS: usize = 255;

/// Docker's limit on a tag. ECR itself stores tags up to 300 characters
/// (rules §8), but a Docker client cannot push them.
pub const MAX_TAG_CHARS: usize = 128;

/// The tag Docker and ECS use when a reference gives neither tag nor digest.
pub const DEFAULT_TAG: &str = "latest";

/// A parsed image reference, always fully qualified: `nginx` becomes
/// `docker.io/library/nginx:latest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    registry: String,
    repository: String,
    tag: Option<String>,
    tag_is_implicit: bool,
    digest: Option<String>,
}

/// Which registry serves an image, as far as the host name tells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum RegistryKind {
    DockerHub,
    /// A private Amazon ECR registry: one per account and Region.
    Ecr(EcrRegistry),
    /// Amazon ECR Public (`public.ecr.aws`).
    EcrPublic,
    /// `quay.io`.
    Quay,
    /// GitHub Container Registry (`ghcr.io`).
    GitHub,
    /// Any other host, including `localhost:5000`.
    Other,
}

/// The account and Region of a private ECR registry host,
/// `<account>.dkr.ecr.<region>.amazonaws.com`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EcrRegistry {
    pub account_id: String,
    pub region: String,
    /// `aws`, or `aws-cn` for hosts ending in `amazonaws.com.cn`.
    pub partition: &'static str,
}

impl EcrRegistry {
    /// The registry host, as it appears in image URIs.
    pub fn host(&self) -> String {
        let suffix = if self.partition == "aws-cn" {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        format!("{}.dkr.ecr.{}.{suffix}", self.account_id, self.region)
    }

    /// The ARN IAM policies use for a repository in this registry.
    pub fn repository_arn(&self, repository: &str) -> String {
        format!(
            "arn:{}:ecr:{}:{}:repository/{repository}",
            self.partition, self.region, self.account_id
        )
    }

    /// The private ECR registry an image string names, judged by its host
    /// alone (the text before the first `/`), so that a reference with some
    /// other fault still counts as ECR's: the task definition checks and
    /// the IAM calls ask "is this ECR?" of images [`ImageRef::parse`] may
    /// reject.
    pub fn of_image(image: &str) -> Option<EcrRegistry> {
        EcrRegistry::from_host(image.split('/').next().unwrap_or_default())
    }

    /// Recognises an ECR host; `None` for any other host. This is the one
    /// ECR recogniser in the model. It does not recognise the FIPS
    /// (`dkr.ecr-fips.`) or dual-stack (`dkr-ecr.<region>.on.aws`) hosts.
    pub fn from_host(host: &str) -> Option<EcrRegistry> {
        let (rest, partition) = if let Some(rest) = host.strip_suffix(".amazonaws.com") {
            (rest, "aws")
        } else if let Some(rest) = host.strip_suffix(".amazonaws.com.cn") {
            (rest, "aws-cn")
        } else {
            return None;
        };
        let (account_id, rest) = rest.split_once('.')?;
        let region = rest.strip_prefix("dkr.ecr.")?;
        let account_ok = account_id.len() == 12 && account_id.bytes().all(|b| b.is_ascii_digit());
        let region_ok = region.contains('-')
            && !region.starts_with('-')
            && !region.ends_with('-')
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        (account_ok && region_ok).then(|| EcrRegistry {
            account_id: account_id.to_string(),
            region: region.to_string(),
            partition,
        })
    }
}

/// The part of a reference an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ImageRefPart {
    Reference,
    Registry,
    Repository,
    Tag,
    Digest,
}

impl ImageRefPart {
    pub fn label(self) -> &'static str {
        match self {
            ImageRefPart::Reference => "image reference",
            ImageRefPart::Registry => "registry",
            ImageRefPart::Repository => "repository",
            ImageRefPart::Tag => "tag",
            ImageRefPart::Digest => "digest",
        }
    }
}

/// Why a string is not an image reference Docker or ECS would accept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageRefError {
    pub part: ImageRefPart,
    /// The offending text, as written.
    pub value: String,
    pub reason: String,
}

impl fmt::Display for ImageRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}: {}", self.part.label(), self.value, self.reason)
    }
}

impl std::error::Error for ImageRefError {}

fn error(part: ImageRefPart, value: &str, reason: impl Into<String>) -> ImageRefError {
    ImageRefError {
        part,
        value: value.to_string(),
        reason: reason.into(),
    }
}

impl ImageRef {
    /// Parses an image reference the way Docker normalises it and ECS
    /// validates it: `[registry/]repository[:tag][@sha256:digest]`.
    pub fn parse(text: &str) -> Result<ImageRef, ImageRefError> {
        use ImageRefPart::*;
        if text.is_empty() {
            return Err(error(Reference, text, "an image reference cannot be empty"));
        }
        let (name_and_tag, digest) = match text.split_once('@') {
            Some((before, digest)) => (before, Some(digest)),
            None => (text, None),
        };
        let length = name_and_tag.chars().count();
        if length > MAX_REFERENCE_CHARS {
            let counted = if digest.is_some() {
                "before the @digest"
            } else {
                "in all"
            };
            return Err(error(
                Reference,
                text,
                format!(
                    "is {length} characters {counted}; ECS accepts at most {MAX_REFERENCE_CHARS}"
                ),
            ));
        }
        if let Some(digest) = digest {
            check_digest(digest)?;
        }

        // A ':' after the last '/' starts the tag; one before it belongs to a
        // registry port, as in localhost:5000/app.
        let last_slash = name_and_tag.rfind('/');
        let (name, tag) = match name_and_tag.rfind(':') {
            Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
                (&name_and_tag[..colon], Some(&name_and_tag[colon + 1..]))
            }
            _ => (name_and_tag, None),
        };
        if let Some(tag) = tag {
            check_tag(tag)?;
        }
        if name.is_empty() {
            return Err(error(
                Repository,
                name,
                "a reference needs a repository name",
            ));
        }

        let (registry, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                check_host(first)?;
                (first, rest)
            }
            _ => (DOCKER_HUB, name),
        };
        check_repository_path(path).map_err(|reason| error(Repository, path, reason))?;

        // Docker's own spellings of Docker Hub all mean the same registry.
        let registry = if registry == "index.docker.io" || registry == "registry-1.docker.io" {
            DOCKER_HUB
        } else {
            registry
        };
        // Official images live under library/ on Docker Hub.
        let repository = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_string()
        };
        let tag_is_implicit = tag.is_none() && digest.is_none();
        let tag = match tag {
            Some(tag) => Some(tag.to_string()),
            None if tag_is_implicit => Some(DEFAULT_TAG.to_string()),
            None => None,
        };
        Ok(ImageRef {
            registry: registry.to_string(),
            repository,
            tag,
            tag_is_implicit,
            digest: digest.map(str::to_string),
        })
    }

    /// The registry host, with its port if any: `docker.io`, `localhost:5000`.
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The repository path within the registry: `library/nginx`.
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The tag; `latest` when the reference gave neither tag nor digest.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// True when the tag is the `latest` Docker filled in, not one written.
    pub fn tag_is_implicit(&self) -> bool {
        self.tag_is_implicit
    }

    /// The `sha256:` digest, when the reference pins one.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    pub fn kind(&self) -> RegistryKind {
        match self.registry.as_str() {
            DOCKER_HUB => RegistryKind::DockerHub,
            "public.ecr.aws" => RegistryKind::EcrPublic,
            "quay.io" => RegistryKind::Quay,
            "ghcr.io" => RegistryKind::GitHub,
            host => EcrRegistry::from_host(host).map_or(RegistryKind::Other, RegistryKind::Ecr),
        }
    }

    /// The account and Region when the image is in a private ECR registry.
    pub fn ecr(&self) -> Option<EcrRegistry> {
        EcrRegistry::from_host(&self.registry)
    }

    /// Docker's short spelling: `nginx:latest` for Docker Hub official images,
    /// `amazon/amazon-ecs-agent:latest` for other Docker Hub images, and the
    /// full reference for every other registry.
    pub fn familiar(&self) -> String {
        let full = self.to_string();
        if self.registry != DOCKER_HUB {
            return full;
        }
        let without_host = &full[DOCKER_HUB.len() + 1..];
        without_host
            .strip_prefix("library/")
            .filter(|rest| !rest.contains('/'))
            .unwrap_or(without_host)
            .to_string()
    }
}

impl fmt::Display for ImageRef {
    /// The canonical full reference: registry, repository, then tag and/or
    /// digest (`docker.io/library/nginx:latest`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

fn check_digest(digest: &str) -> Result<(), ImageRefError> {
    let bad = |reason: String| Err(error(ImageRefPart::Digest, digest, reason));
    let Some(hex) = digest.strip_prefix("sha256:") else {
        return bad("ECS accepts digests of the form sha256:<64 hex digits>".to_string());
    };
    if hex.chars().count() != 64 {
        return bad(format!(
            "a sha256 digest has exactly 64 hex digits; this one has {}",
            hex.chars().count()
        ));
    }
    if !hex
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return bad("digest hex digits must be lowercase 0-9 and a-f".to_string());
    }
    Ok(())
}

/// Docker's tag grammar: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
pub fn check_tag(tag: &str) -> Result<(), ImageRefError> {
    let bad = |reason: String| Err(error(ImageRefPart::Tag, tag, reason));
    if tag.is_empty() {
        return bad("a tag cannot be empty; write one after ':' or leave out the ':'".to_string());
    }
    let length = tag.chars().count();
    if length > MAX_TAG_CHARS {
        return bad(format!(
            "tags are at most {MAX_TAG_CHARS} characters; this one has {length}"
        ));
    }
    if !tag
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return bad("tags may contain only letters, digits, '_', '.' and '-'".to_string());
    }
    if tag.starts_with(['.', '-']) {
        return bad("a tag must start with a letter, a digit or '_'".to_string());
    }
    Ok(())
}

/// A registry host: DNS labels or an IPv4 address, or a bracketed IPv6
/// address, with an optional `:port`.
fn check_host(host: &str) -> Result<(), ImageRefError> {
    let bad = |reason: &str| Err(error(ImageRefPart::Registry, host, reason));
    let (name, port) = if host.starts_with('[') {
        match host.find(']') {
            Some(end) => {
                let inside = &host[1..end];
                if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
                {
                    return bad("an IPv6 registry address holds only hex digits and ':'");
                }
                match &host[end + 1..] {
                    "" => (&host[..=end], None),
                    rest => match rest.strip_prefix(':') {
                        Some(port) => (&host[..=end], Some(port)),
                        None => return bad("only a :port may follow an IPv6 address"),
                    },
                }
            }
            None => return bad("an IPv6 registry address needs its closing ']'"),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return bad("a registry port is a number of up to 5 digits");
        }
    }
    if name.starts_with('[') {
        return Ok(());
    }
    let labels_ok = name.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if !labels_ok {
        return bad(
            "a registry host is made of letters, digits and '-' in dot-separated parts, none empty or starting or ending with '-'",
        );
    }
    Ok(())
}

/// Repository paths as Docker and ECR share them (rules §8): components
/// separated by '/', each matching `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
pub(crate) fn check_repository_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("a reference needs a repository name");
    }
    for component in path.split('/') {
        check_component(component)?;
    }
    Ok(())
}

fn check_component(component: &str) -> Result<(), &'static str> {
    if component.is_empty() {
        return Err("a path component cannot be empty (no leading, trailing or doubled '/')");
    }
    if component.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err("repository names must be lowercase");
    }
    let is_alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let is_separator = |b: u8| matches!(b, b'.' | b'_' | b'-');
    if !component.bytes().all(|b| is_alnum(b) || is_separator(b)) {
        return Err(
            "repository names may contain only lowercase letters, digits, '/' and the separators '.', '_', '__' and '-'",
        );
    }
    let bytes = component.as_bytes();
    if !is_alnum(bytes[0]) || !is_alnum(bytes[bytes.len() - 1]) {
        return Err("each path component must start and end with a lowercase letter or digit");
    }
    for run in component.split(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        let allowed = run.is_empty()
            || run == "."
            || run == "_"
            || run == "__"
            || run.bytes().all(|b| b == b'-');
        if !allowed {
            return Err(
                "letters and digits may be separated only by '.', '_', '__' or a run of '-'",
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> ImageRef {
        ImageRef::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn a_bare_name_is_an_official_docker_hub_image_at_latest() {
        let image = parse("nginx");
        assert_eq!(image.registry(), "docker.io");
        assert_eq!(image.repository(), "library/nginx");
        assert_eq!(image.tag(), Some("latest"));
        assert!(image.tag_is_implicit());
        assert_eq!(image.digest(), None);
        assert_eq!(image.kind(), RegistryKind::DockerHub);
        assert_eq!(image.to_string(), "docker.io/library/nginx:latest");
        assert_eq!(image.familiar(), "nginx:latest");
    }

    #[test]
    fn spelled_out_library_paths_are_the_same_image() {
        let short = parse("nginx:1.27");
        for long in [
            "library/nginx:1.27",
            "docker.io/library/nginx:1.27",
            "docker.io/nginx:1.27",
        ] {
            assert_eq!(parse(long), short, "{long}");
        }
        assert!(!short.tag_is_implicit());
        assert_eq!(parse("index.docker.io/library/nginx:1.27"), short);
    }

    #[test]
    fn an_organisation_image_stays_under_its_organisation() {
        let image = parse("amazon/amazon-ecs-agent");
        assert_eq!(
            image.to_string(),
            "docker.io/amazon/amazon-ecs-agent:latest"
        );
        assert_eq!(image.familiar(), "amazon/amazon-ecs-agent:latest");
    }

    #[test]
    fn other_registries_need_a_domain() {
        let quay = parse("quay.io/prometheus/node-exporter:v1.8.2");
        assert_eq!(quay.registry(), "quay.io");
        assert_eq!(quay.repository(), "prometheus/node-exporter");
        assert_eq!(quay.kind(), RegistryKind::Quay);

        let ghcr = parse("ghcr.io/owner/app");
        assert_eq!(ghcr.kind(), RegistryKind::GitHub);
        let public = parse("public.ecr.aws/nginx/nginx:stable");
        assert_eq!(public.kind(), RegistryKind::EcrPublic);
        assert_eq!(public.ecr(), None);

        let local = parse("localhost:5000/x");
        assert_eq!(local.registry(), "localhost:5000");
        assert_eq!(local.repository(), "x");
        assert_eq!(local.tag(), Some("latest"));
        assert_eq!(local.kind(), RegistryKind::Other);
        assert_eq!(parse("localhost/x").registry(), "localhost");
    }

    #[test]
    fn a_first_component_without_dot_colon_or_localhost_is_a_docker_hub_namespace() {
        let image = parse("myregistry/app");
        assert_eq!(image.registry(), "docker.io");
        assert_eq!(image.repository(), "myregistry/app");
        // The colon after the last '/' is a tag, not a port.
        let image = parse("localhost:5000");
        assert_eq!(image.to_string(), "docker.io/library/localhost:5000");
    }

    #[test]
    fn ecr_uris_give_their_account_and_region() {
        let image =
            parse("012345678910.dkr.ecr.eu-west-1.amazonaws.com/project-a/nginx-web-app:v2");
        let ecr = image.ecr().unwrap();
        assert_eq!(ecr.account_id, "012345678910");
        assert_eq!(ecr.region, "eu-west-1");
        assert_eq!(ecr.host(), image.registry());
        assert_eq!(image.repository(), "project-a/nginx-web-app");
        assert_eq!(image.kind(), RegistryKind::Ecr(ecr.clone()));
        assert_eq!(
            ecr.repository_arn(image.repository()),
            "arn:aws:ecr:eu-west-1:012345678910:repository/project-a/nginx-web-app"
        );
        // One ECR repository name never gets library/.
        assert_eq!(
            parse("012345678910.dkr.ecr.us-east-1.amazonaws.com/web").repository(),
            "web"
        );
        let china = parse("012345678910.dkr.ecr.cn-north-1.amazonaws.com.cn/web")
            .ecr()
            .unwrap();
        assert_eq!(china.partition, "aws-cn");
        // Eleven digits is not an account id.
        assert_eq!(
            parse("01234567891.dkr.ecr.us-east-1.amazonaws.com/web").ecr(),
            None
        );
    }

    #[test]
    fn digests_pin_an_image() {
        let digest = format!("sha256:{}", "ab".repeat(32));
        let image = parse(&format!("nginx@{digest}"));
        assert_eq!(image.digest(), Some(digest.as_str()));
        assert_eq!(image.tag(), None);
        assert!(!image.tag_is_implicit());
        assert_eq!(
            image.to_string(),
            format!("docker.io/library/nginx@{digest}")
        );

        let both = parse(&format!("nginx:1.27@{digest}"));
        assert_eq!(both.tag(), Some("1.27"));
        assert_eq!(both.digest(), Some(digest.as_str()));

        let short = ImageRef::parse("nginx@sha256:abc").unwrap_err();
        assert_eq!(short.part, ImageRefPart::Digest);
        assert!(short.reason.contains("64 hex digits; this one has 3"));
        let upper = ImageRef::parse(&format!("nginx@sha256:{}", "AB".repeat(32))).unwrap_err();
        assert!(upper.reason.contains("lowercase"));
        let md5 = ImageRef::parse(&format!("nginx@md5:{}", "a".repeat(32))).unwrap_err();
        assert_eq!(md5.part, ImageRefPart::Digest);
    }

    #[test]
    fn bad_tags_are_refused_with_the_reason() {
        let error = ImageRef::parse("nginx:v1 beta").unwrap_err();
        assert_eq!(
            error.to_string(),
            "tag \"v1 beta\": tags may contain only letters, digits, '_', '.' and '-'"
        );
        let error = ImageRef::parse("nginx:").unwrap_err();
        assert_eq!(error.part, ImageRefPart::Tag);
        let error = ImageRef::parse("nginx:-rc").unwrap_err();
        assert!(error.reason.contains("must start with"));
        let long = "a".repeat(129);
        let error = ImageRef::parse(&format!("nginx:{long}")).unwrap_err();
        assert!(error.reason.contains("at most 128"));
        assert!(ImageRef::parse(&format!("nginx:_{}", "a".repeat(127))).is_ok());
    }

    #[test]
    fn uppercase_repository_names_are_refused() {
        let error = ImageRef::parse("MyApp").unwrap_err();
        assert_eq!(error.part, ImageRefPart::Repository);
        assert_eq!(
            error.to_string(),
            "repository \"MyApp\": repository names must be lowercase"
        );
        let error = ImageRef::parse("quay.io/Org/app").unwrap_err();
        assert_eq!(error.value, "Org/app");
        // Uppercase is fine in a registry host or a tag.
        assert!(ImageRef::parse("Registry.Example.com/app:V1").is_ok());
    }

    #[test]
    fn malformed_paths_and_hosts_are_refused() {
        for (text, part) in [
            ("", ImageRefPart::Reference),
            ("a//b", ImageRefPart::Repository),
            ("quay.io/", ImageRefPart::Repository),
            ("-nginx", ImageRefPart::Repository),
            ("my..app", ImageRefPart::Repository),
            ("my___app", ImageRefPart::Repository),
            ("my app", ImageRefPart::Repository),
            ("localhost:port/app", ImageRefPart::Registry),
            ("-bad.example.com/app", ImageRefPart::Registry),
            ("[::1/app", ImageRefPart::Registry),
        ] {
            match ImageRef::parse(text) {
                Err(error) => assert_eq!(error.part, part, "{text}: {error}"),
                Ok(image) => panic!("{text} parsed as {image}"),
            }
        }
        assert!(ImageRef::parse("my__app").is_ok());
        assert!(ImageRef::parse("my---app").is_ok());
        assert_eq!(parse("[::1]:5000/app").registry(), "[::1]:5000");
    }

    #[test]
    fn references_over_255_characters_are_refused_but_a_digest_does_not_count() {
        let at_limit = format!("{}:latest", "a".repeat(248));
        assert_eq!(at_limit.len(), 255);
        assert!(ImageRef::parse(&at_limit).is_ok());

        let over = format!("{}:latest", "a".repeat(249));
        assert_eq!(over.len(), 256);
        let error = ImageRef::parse(&over).unwrap_err();
        assert_eq!(error.part, ImageRefPart::Reference);
        assert!(error.reason.contains("256 characters"));

        let digest = format!("sha256:{}", "0".repeat(64));
        assert!(ImageRef::parse(&format!("{at_limit}@{digest}")).is_ok());
        let error = ImageRef::parse(&format!("{over}@{digest}")).unwrap_err();
        assert!(error.reason.contains("before the @digest"));
    }

    fn same_image(a: &ImageRef, b: &ImageRef) -> bool {
        a.registry == b.registry
            && a.repository == b.repository
            && a.tag == b.tag
            && a.digest == b.digest
    }

    fn component() -> impl Strategy<Value = String> {
        "[a-z0-9]{1,6}((\\.|_|__|-{1,3})[a-z0-9]{1,6}){0,2}"
    }

    fn valid_reference() -> impl Strategy<Value = String> {
        let registry = prop_oneof![
            Just(None),
            Just(Some("docker.io".to_string())),
            Just(Some("localhost".to_string())),
            Just(Some("localhost:5000".to_string())),
            Just(Some("quay.io".to_string())),
            Just(Some("public.ecr.aws".to_string())),
            "[0-9]{12}\\.dkr\\.ecr\\.(us-east-1|eu-west-2|ap-south-2)\\.amazonaws\\.com"
                .prop_map(Some),
            "[a-z][a-z0-9-]{0,6}[a-z0-9]\\.[a-z]{2,5}(:[0-9]{1,5})?".prop_map(Some),
        ];
        // Without a registry, a first component with a '.' would be read as
        // a host, as Docker reads it; keep those out of the no-registry case.
        let first = "[a-z0-9]{1,6}((_|__|-{1,3})[a-z0-9]{1,6}){0,2}";
        let rest = prop::collection::vec(component(), 0..=2);
        let tag = prop::option::of("[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}");
        let digest = prop::option::of("[0-9a-f]{64}");
        (registry, first, rest, tag, digest).prop_map(|(registry, first, rest, tag, digest)| {
            let mut text = String::new();
            if let Some(registry) = registry {
                text.push_str(&registry);
                text.push('/');
            }
            text.push_str(&first);
            for component in rest {
                text.push('/');
                text.push_str(&component);
            }
            if let Some(tag) = tag {
                text.push(':');
                text.push_str(&tag);
            }
            if let Some(digest) = digest {
                text.push_str("@sha256:");
                text.push_str(&digest);
            }
            text
        })
    }

    proptest! {
        #[test]
        fn canonical_form_round_trips(text in valid_reference()) {
            let image = ImageRef::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let canonical = image.to_string();
            let again = ImageRef::parse(&canonical).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(same_image(&image, &again), "{} vs {}", image, again);
            prop_assert_eq!(again.to_string(), canonical);
        }

        #[test]
        fn parse_never_panics_and_what_parses_round_trips(text in prop_oneof![
            any::<String>(),
            "[a-zA-Z0-9:/@._ \\-\\[\\]]{0,300}",
        ]) {
            if let Ok(image) = ImageRef::parse(&text) {
                let canonical = image.to_string();
                // Docker Hub expansion can push a reference written near the
                // 255 limit over it; anything shorter must round-trip.
                if canonical.split('@').next().unwrap_or_default().chars().count() <= MAX_REFERENCE_CHARS {
                    let again = ImageRef::parse(&canonical).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert!(same_image(&image, &again));
                }
            }
        }
    }
}
