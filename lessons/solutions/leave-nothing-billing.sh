# A service keeps its desired count: scale it to 0 rather than stopping its
# tasks. A task run by hand runs until it is stopped. An idle instance
# bills as much as a busy one.
aws ecs update-service --cluster lab --service web --desired-count 0 --query 'service.desiredCount'
aws ecs stop-task --cluster lab --task t-3 --query 'task.desiredStatus'
dockyard terminate-instance --instance i-1
# A NAT gateway bills every hour it exists; deleting it leaves its Elastic
# IP allocated, and the address bills until it is released.
aws ec2 describe-nat-gateways --query 'NatGateways[].[NatGatewayId,NatGatewayAddresses[0].AllocationId]'
aws ec2 delete-nat-gateway --nat-gateway-id nat-039960e63a9693555
aws ec2 release-address --allocation-id eipalloc-023c0004f29b3304e
# A load balancer bills every hour it exists, with or without targets.
aws elbv2 describe-load-balancers --names lab-web --query 'LoadBalancers[0].LoadBalancerArn'
aws elbv2 delete-load-balancer --load-balancer-arn arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/lab-web/8ffc496683c01cb4
