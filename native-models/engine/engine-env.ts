/** Set to '1' in the engine's environment to register the test-only job kinds (tests only). */
export const TEST_JOBS_ENV = 'RESNET_WORKBENCH_ENGINE_TEST_JOBS'
