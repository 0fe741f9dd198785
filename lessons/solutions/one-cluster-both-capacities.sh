# One cluster, both capacities: a Fargate service beside the EC2 one.
aws ecs register-task-definition --family report --requires-compatibilities FARGATE \
    --network-mode awsvpc --cpu 256 --memory 512 \
    --container-definitions '[{"name": "report", "image": "public.ecr.aws/docker/library/python:3.12", "essential": true}]'
aws ecs create-service --cluster shop --service-name report --task-definition report \
    --desired-count 2 --launch-type FARGATE \
    --network-configuration "awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404,subnet-091114153a4888c81],assignPublicIp=ENABLED}"
