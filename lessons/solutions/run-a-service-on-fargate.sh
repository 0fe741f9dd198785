# Run a service on Fargate: two tasks, and no instances to launch.
# Fargate tasks use the awsvpc network mode, so the service names the
# subnets its tasks' network interfaces go in (the default VPC's).
aws ec2 describe-subnets --query 'Subnets[].SubnetId' --output text
aws ecs create-service --cluster shop --service-name web \
    --task-definition web --desired-count 2 --launch-type FARGATE \
    --network-configuration "awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c,subnet-0783ecb10f1b8e404,subnet-091114153a4888c81],assignPublicIp=ENABLED}"
aws ecs wait services-stable --cluster shop --services web
aws ecs describe-services --cluster shop --services web \
    --query 'services[0].{desired: desiredCount, running: runningCount}'
