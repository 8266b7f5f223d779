// The js twin of every environment kind, one line each: the twin of native/core/envs/kinds.h.
// env.ts orders them by ENV_KINDS (src/backend/kernels/envs.ts) through each twin's id.
export { acrobot } from './acrobot.js';
export { bandit } from './bandit.js';
export { cartpole } from './cartpole.js';
export { catchGame } from './catch.js';
export { mountainCar, mountainCarContinuous } from './mountain_car.js';
export { navigation2d, pointRobot } from './navigation2d.js';
export { pendulum } from './pendulum.js';
export { snake } from './snake.js';
export { tabularMdp } from './tabular_mdp.js';
export { twoColorGrid } from './two_color_grid.js';
