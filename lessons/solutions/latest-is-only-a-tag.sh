# latest is a tag, not a promise: release build 2 as 1.1, and move latest
# to it by pushing it there too; 1.0 keeps naming build 1.
# Dockyard's images stand for a text, their content: --build-arg CONTENT
# chooses it (the digest is its SHA-256, as on the Registries page's form).
docker build -t app:1.1 --build-arg CONTENT='app build 2' .
docker tag app:1.1 111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1.1
docker tag app:1.1 111122223333.dkr.ecr.us-east-1.amazonaws.com/app:latest
# The terminal has no pipes: get-login-password prints the token, and
# docker login takes it with -p (Dockyard does not check it).
aws ecr get-login-password --region us-east-1
docker login --username AWS \
    --password eyJwYXlsb2FkIjoiRE9DS1lBUkQtU0lNVUxBVEVELVRPS0VOLU5PVC1BLUNSRURFTlRJQUwiLCJyZWdpc3RyeSI6IjExMTEyMjIyMzMzMy5ka3IuZWNyLnVzLWVhc3QtMS5hbWF6b25hd3MuY29tIiwidHlwZSI6IkRBVEFfS0VZIiwidmVyc2lvbiI6IjIifQ== \
    111122223333.dkr.ecr.us-east-1.amazonaws.com
docker push 111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1.1
# The same image again: the layer is there already, and only the tag moves.
docker push 111122223333.dkr.ecr.us-east-1.amazonaws.com/app:latest
aws ecr describe-images --repository-name app \
    --query 'imageDetails[].{digest: imageDigest, tags: imageTags}'
