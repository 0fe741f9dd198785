# Release build 44 as 1.0 in a new repository whose tags are immutable and
# whose images are scanned on push.
aws ecr create-repository --repository-name web-release \
    --image-tag-mutability IMMUTABLE \
    --image-scanning-configuration scanOnPush=true
# Dockyard's images stand for a text, their content: --build-arg CONTENT
# chooses it (the digest is its SHA-256, as on the Registries page's form).
docker build -t 111122223333.dkr.ecr.us-east-1.amazonaws.com/web-release:1.0 \
    --build-arg CONTENT='web build 44' .
# The terminal has no pipes: get-login-password prints the token, and
# docker login takes it with -p (Dockyard does not check it).
aws ecr get-login-password --region us-east-1
docker login --username AWS \
    --password eyJwYXlsb2FkIjoiRE9DS1lBUkQtU0lNVUxBVEVELVRPS0VOLU5PVC1BLUNSRURFTlRJQUwiLCJyZWdpc3RyeSI6IjExMTEyMjIyMzMzMy5ka3IuZWNyLnVzLWVhc3QtMS5hbWF6b25hd3MuY29tIiwidHlwZSI6IkRBVEFfS0VZIiwidmVyc2lvbiI6IjIifQ== \
    111122223333.dkr.ecr.us-east-1.amazonaws.com
docker push 111122223333.dkr.ecr.us-east-1.amazonaws.com/web-release:1.0
# Scanned on push: no CRITICAL finding in the patched build.
aws ecr describe-image-scan-findings --repository-name web-release \
    --image-id imageTag=1.0 --query 'imageScanFindings.findingSeverityCounts'
