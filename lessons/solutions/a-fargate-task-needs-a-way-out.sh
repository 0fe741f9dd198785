# The stopped reason ends in "i/o timeout": the task never reached ECR, so
# no permission was checked. A default subnet leaves the VPC only through
# an internet gateway, which carries only traffic from a public IP, and
# assignPublicIp defaults to DISABLED. Run the task again with one.
aws ecs describe-tasks --cluster dev --tasks t-1 --query 'tasks[0].stoppedReason'
aws ec2 describe-subnets --query 'Subnets[].SubnetId' --output text
aws ecs run-task --cluster dev --task-definition report --launch-type FARGATE \
    --network-configuration "awsvpcConfiguration={subnets=[subnet-05ff4ad5d7f52e50c],assignPublicIp=ENABLED}" \
    --query 'tasks[0].lastStatus'
